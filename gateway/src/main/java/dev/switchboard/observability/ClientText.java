package dev.switchboard.observability;

/**
 * Values that come from clients (request ids, tool and operation names, paths) as logs and error texts may carry them:
 * bounded in length, so that no request can make a log line or an answer much bigger than itself, and, in logs, with
 * control characters, spaces, quotes and {@code =} escaped as {@code \\uXXXX}, so that no value can start a line of its
 * own or add a {@code key=value} field.
 */
public final class ClientText {

    /** The longest value written as it came; longer ones are cut and say by how much. */
    public static final int MAX_LENGTH = 96;

    private ClientText() {
    }

    /** The value as an error text may quote it: at most {@link #MAX_LENGTH} characters, saying what was cut. */
    public static String echo(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_LENGTH ? value
                : value.substring(0, MAX_LENGTH) + "…(+" + (value.length() - MAX_LENGTH) + " chars)";
    }

    /** The value as a log line may carry it. */
    public static String log(String value) {
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
