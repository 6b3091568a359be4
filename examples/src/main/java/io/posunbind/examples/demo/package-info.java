/** A runnable demo: one merchant through the whole unbind process on the embedded default store. */
package io.posunbind.examples.demo;
