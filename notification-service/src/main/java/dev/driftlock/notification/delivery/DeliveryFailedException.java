package dev.driftlock.notification.delivery;

/** An e-mail was not sent: the provider refused it for good, or every attempt failed. The message says why. */
public class DeliveryFailedException extends RuntimeException {

    public DeliveryFailedException(String reason) {
        super(reason);
    }
}
