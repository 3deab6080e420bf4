package imagine.cli;

/** Bad input from the user: printed as one line, exit code 2, nothing written. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
