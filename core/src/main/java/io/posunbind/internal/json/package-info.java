/** Jackson set-up shared by the store, the backup and exports. Internal: not exported. */
package io.posunbind.internal.json;
