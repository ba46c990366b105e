/**
 * Personal data, sealed per subject (crypto-shredding): the sealed-text format and its AES-GCM
 * cipher, the {@link dev.factline.personal.DataKeys} port that issues and finds subjects' data
 * keys, the store decorator that seals the declared fields of every appended event, the reveal
 * that readers run on the way out, and the subject aggregate whose stream records each erasure.
 *
 * <p>Nothing here knows AWS: the key store and the master key (KMS or a local file) live in
 * {@code functions}.
 */
@NullMarked
package dev.factline.personal;

import org.jspecify.annotations.NullMarked;
