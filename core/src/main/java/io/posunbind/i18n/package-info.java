/**
 * User-facing text in two languages, simplified Chinese (zh-CN) and English: step, state, document
 * and fee names, error and rule texts, validation messages. Start at
 * {@link io.posunbind.i18n.Messages#forLocale(java.util.Locale)}.
 *
 * <p>The texts live in the resource bundles {@code io/posunbind/i18n/messages*.properties} of the core
 * module, read as UTF-8; a test fails the build when a key is missing in either language.
 *
 * <p>Null is not a value in this package: parameters and return values are non-null unless typed
 * {@link java.util.Optional}. Message arguments may be {@code null}; they print as {@code "null"}, as
 * {@link java.text.MessageFormat} prints them.
 */
package io.posunbind.i18n;
