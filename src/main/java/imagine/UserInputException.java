package imagine;

/**
 * Input the user can fix: a bad setting, file, selection, model folder or device choice. Its
 * message says what to do. The command line prints it as one line and exits with 2 (no stack
 * trace); Fiji shows it in a dialog and the Log. Every other exception is a defect or an
 * environment failure and is reported as an internal error.
 */
public class UserInputException extends RuntimeException {

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
