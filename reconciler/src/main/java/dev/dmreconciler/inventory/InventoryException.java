package dev.dmreconciler.inventory;

/** An inventory could not be read or written; the message names the ConfigMaps and the cause. */
public class InventoryException extends RuntimeException {

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }

    public InventoryException(String message) {
        super(message);
    }
}
