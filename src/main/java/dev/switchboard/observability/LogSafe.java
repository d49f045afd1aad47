package dev.switchboard.observability;

/**
 * Values that come from clients (request ids, tool and operation names, paths) as a log line may carry them: control
 * characters, spaces, quotes and {@code =} escaped as {@code \\uXXXX}, so that no value can start a line of its own or
 * add a {@code key=value} field, and the length bounded, so that no request can make the log much bigger than itself.
 */
public final class LogSafe {

    /** The longest value written as it came; longer ones are cut and say by how much. */
    public static final int MAX_LENGTH = 96;

    private LogSafe() {
    }

    public static String value(String value) {
        if (value == null) {
            return "-";
        }
        int length = Math.min(value.length(), MAX_LENGTH);
        StringBuilder safe = new StringBuilder(length + 16);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '=' || c == '"' || c == '\\' || Character.isWhitespace(c)
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        if (value.length() > MAX_LENGTH) {
            safe.append("…(+").append(value.length() - MAX_LENGTH).append(" chars)");
        }
        return safe.toString();
    }
}
