package imagine.model;

/**
 * A model could not be found, read or trusted, or the engine that runs it could not start. The
 * message is written for the user: it names the file and says what to do, so front ends show it
 * as it is.
 */
public class ModelException extends imagine.UserInputException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
