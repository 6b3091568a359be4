package io.posunbind.spi;

import io.posunbind.spi.model.ProviderCallback;

/**
 * Turns the body of a provider's or institution's callback into what it means for a case. The engine
 * calls it only after the callback's signature, timestamp and nonce were verified. Optional. Thread-safe.
 *
 * @since SPI 1.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "2.0")
public interface CallbackParser {

    /**
     * Parses a verified callback body.
     *
     * @param body the body exactly as signed
     * @return the decision or operation outcome it carries
     * @throws ProviderException with {@link StandardErrorCode#INVALID_REQUEST} when the body cannot be read
     */
    ProviderCallback parse(String body);
}
