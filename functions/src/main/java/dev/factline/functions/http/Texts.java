package dev.factline.functions.http;

/** How client-supplied text is shown inside a problem's detail: quoted, and cut when long. */
public final class Texts {

    private static final int SHOWN = 64;
    private static final int SENTENCE = 300;

    private Texts() {
    }

    /** {@code 'value'}, cut to its first 64 characters with an ellipsis when longer. */
    public static String quoted(String value) {
        return "'" + cut(value) + "'";
    }

    /**
     * A message written elsewhere (a validating constructor's), cut to 300 characters: such
     * messages quote what they refuse in full, and a client's 200 KB string need not come back.
     */
    public static String sentence(String message) {
        return message.length() > SENTENCE ? message.substring(0, SENTENCE) + "..." : message;
    }

    /** {@code value}, cut to its first 64 characters with an ellipsis when longer. */
    public static String cut(String value) {
        return value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value;
    }

    /**
     * Whether {@code value} is Unicode text: every surrogate in it is half of a pair. A surrogate
     * alone (a JSON string can hold one as an escape, of U+D800 say) is no character, and UTF-8
     * cannot carry it.
     */
    public static boolean isUnicode(String value) {
        return value.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }
}
