package org.caregrid.importer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pull reader of OSM XML 0.6 that knows only what that format uses of XML: elements, their attributes, comments and
 * the XML declaration. A general StAX parser (Woodstox) took 450 ms of a 1.1 s import of north-bayreuth in a fresh
 * JVM, running interpreted for most of it; this one loop is compiled within milliseconds (110 ms for the same file).
 *
 * <p>As hardened as {@link SafeXml}: a DTD is refused in its words before anything in it is read, and no entity is
 * known but XML's five and character references, so nothing is fetched or expanded. The document must be well formed
 * where OSM data lives (tags closed in order, one root, attributes quoted); a file that ends early says where. Text
 * between elements is skipped unread (an Overpass {@code <note>} at most).
 */
final class OsmXml {

    /** What {@link #next()} found. */
    enum Event { START, END, END_OF_FILE }

    /** The file is not well-formed XML (or not UTF-8) at {@code line}; the message says what. */
    static final class Malformed extends IOException {
        private final int line;

        Malformed(int line, String message) {
            super(message);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private static final int MAX_ATTRIBUTES = 64;

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private int line = 1;

    /** The current tag's bytes (between {@code <} and {@code >}) and where its name and attributes lie in them. */
    private byte[] tag = new byte[512];
    private int tagLength;
    private int nameEnd;
    private final int[] keyStart = new int[MAX_ATTRIBUTES];
    private final int[] keyEnd = new int[MAX_ATTRIBUTES];
    private final int[] valueStart = new int[MAX_ATTRIBUTES];
    private final int[] valueEnd = new int[MAX_ATTRIBUTES];
    private int attributes;

    private String name;
    private final Deque<String> open = new ArrayDeque<>();
    private boolean closeAfterStart;
    private boolean rootClosed;
    private boolean started;

    OsmXml(InputStream in) {
        this.in = in;
    }

    /** The line the reader is on (1 for the first). */
    int line() {
        return line;
    }

    /** The name of the element just started or ended. */
    String name() {
        return name;
    }

    /** The value of the current start tag's attribute {@code key}, entities replaced; null when it has none. */
    String attribute(String key) throws Malformed {
        int a = find(key);
        return a < 0 ? null : value(a);
    }

    /**
     * The start tag's attribute {@code key} as a whole number (an id, a reference), read from its bytes without a
     * string; {@code otherwise} when it has none or it is not one.
     */
    long wholeNumber(String key, long otherwise) throws Malformed {
        int a = find(key);
        if (a < 0) {
            return otherwise;
        }
        int i = valueStart[a];
        int end = valueEnd[a];
        boolean negative = i < end && tag[i] == '-';
        if (negative) {
            i++;
        }
        // at most 18 digits: no overflow
        if (i == end || end - i > 18) {
            return parsedOr(a, otherwise);
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = tag[i] - '0';
            if (digit < 0 || digit > 9) {
                return parsedOr(a, otherwise);
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private long parsedOr(int a, long otherwise) throws Malformed {
        try {
            return Long.parseLong(value(a).strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Powers of ten a double holds exactly. */
    private static final double[] EXACT_POWERS_OF_TEN = new double[23];

    static {
        EXACT_POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < EXACT_POWERS_OF_TEN.length; i++) {
            EXACT_POWERS_OF_TEN[i] = EXACT_POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /**
     * The start tag's attribute {@code key} as a number (a coordinate): exactly what {@link Double#parseDouble} gives,
     * NaN when it has none or it is not a number. A plain decimal of up to 15 digits (OSM writes 7 decimals) is read
     * from the bytes: its digits and the power of ten are both exact doubles, so one division rounds once, as the
     * parser does. Anything else goes to the parser.
     */
    double decimal(String key) throws Malformed {
        int a = find(key);
        if (a < 0) {
            return Double.NaN;
        }
        int i = valueStart[a];
        int end = valueEnd[a];
        boolean negative = i < end && tag[i] == '-';
        if (negative) {
            i++;
        }
        long digits = 0;
        int count = 0;
        int decimals = -1;
        for (; i < end; i++) {
            byte b = tag[i];
            if (b == '.' && decimals < 0) {
                decimals = 0;
            } else if (b >= '0' && b <= '9') {
                digits = digits * 10 + (b - '0');
                count++;
                if (decimals >= 0) {
                    decimals++;
                }
            } else {
                count = 99;
                break;
            }
        }
        if (count == 0 || count > 15 || decimals == 0) {
            try {
                return Double.parseDouble(value(a));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        double value = digits / EXACT_POWERS_OF_TEN[Math.max(decimals, 0)];
        return negative ? -value : value;
    }

    private int find(String key) {
        for (int a = 0; a < attributes; a++) {
            if (keyEnd[a] - keyStart[a] == key.length() && sameAscii(keyStart[a], key)) {
                return a;
            }
        }
        return -1;
    }

    Event next() throws IOException {
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        if (closeAfterStart) {
            closeAfterStart = false;
            return close(name);
        }
        while (true) {
            int b = read();
            if (b < 0) {
                if (!open.isEmpty()) {
                    throw new Malformed(line, "the file ends inside <" + open.peek() + ">: it is truncated");
                }
                return Event.END_OF_FILE;
            }
            if (b == '\n') {
                line++;
            } else if (b == '<') {
                Event event = markup();
                if (event != null) {
                    return event;
                }
            }
            // other bytes are text between elements, which OSM XML does not use
        }
    }

    private void skipByteOrderMark() throws IOException {
        if (fill(3) >= 3 && (buffer[position] & 0xff) == 0xef && (buffer[position + 1] & 0xff) == 0xbb
                && (buffer[position + 2] & 0xff) == 0xbf) {
            position += 3;
        } else if (limit - position >= 2 && ((buffer[position] & 0xff) == 0xfe || (buffer[position] & 0xff) == 0xff)) {
            throw new Malformed(line, "the file is encoded in UTF-16; OSM XML is UTF-8");
        }
    }

    /** After a {@code <}: a start or end tag, or null for a comment, a processing instruction or CDATA. */
    private Event markup() throws IOException {
        int b = require("a tag", line);
        if (b == '!') {
            declaration();
            return null;
        }
        if (b == '?') {
            processingInstruction();
            return null;
        }
        if (b == '/') {
            String closed = readTag(require("an end tag", line));
            if (attributes > 0) {
                throw new Malformed(line, "the end tag </" + closed + "> has attributes");
            }
            return close(closed);
        }
        name = readTag(b);
        if (rootClosed) {
            throw new Malformed(line, "<" + name + "> comes after the root element has ended");
        }
        if (tagLength > 0 && tag[tagLength - 1] == '/') {
            closeAfterStart = true;
        }
        open.push(name);
        return Event.START;
    }

    private Event close(String closed) throws Malformed {
        String expected = open.peek();
        if (!closed.equals(expected)) {
            throw new Malformed(line, expected == null ? "</" + closed + "> closes no element"
                    : "</" + closed + "> closes <" + expected + ">");
        }
        open.pop();
        rootClosed = open.isEmpty();
        name = closed;
        return Event.END;
    }

    /** {@code <!--} comments and {@code <![CDATA[} are skipped; a DTD is refused. */
    private void declaration() throws IOException {
        if (startsWith("--")) {
            skipPast("-->", "a comment");
        } else if (startsWith("[CDATA[")) {
            skipPast("]]>", "a CDATA section");
        } else if (startsWith("DOCTYPE")) {
            throw new SafeXml.DtdRefused(line);
        } else {
            throw new Malformed(line, "<! that is neither a comment nor CDATA");
        }
    }

    private static final Pattern ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([^\"']*)[\"']");

    /** {@code <?xml …?>}: the encoding must be UTF-8 (or its subset ASCII); other instructions are skipped. */
    private void processingInstruction() throws IOException {
        int from = line;
        StringBuilder text = new StringBuilder();
        while (true) {
            int b = require("a processing instruction", from);
            if (b == '\n') {
                line++;
            }
            if (b == '>' && text.length() > 0 && text.charAt(text.length() - 1) == '?') {
                break;
            }
            text.append((char) b);
        }
        String instruction = text.toString();
        if (instruction.startsWith("xml")) {
            Matcher encoding = ENCODING.matcher(instruction);
            if (encoding.find()) {
                String declared = encoding.group(1).toLowerCase(Locale.ROOT);
                if (!declared.equals("utf-8") && !declared.equals("utf8") && !declared.equals("us-ascii")) {
                    throw new Malformed(from, "the file is encoded in " + encoding.group(1) + "; OSM XML is UTF-8");
                }
            }
        }
    }

    /**
     * Reads a tag's bytes up to its {@code >} (one inside quotes belongs to a value) and splits out the name and the
     * attributes; answers the name.
     */
    private String readTag(int first) throws IOException {
        int from = line;
        tagLength = 0;
        attributes = 0;
        int quote = 0;
        int b = first;
        while (quote != 0 || b != '>') {
            if (b == '\n') {
                line++;
            }
            if (quote == 0 && (b == '"' || b == '\'')) {
                quote = b;
            } else if (b == quote) {
                quote = 0;
            } else if (b == '<') {
                throw new Malformed(line, "a '<' inside the tag that starts on line " + from);
            }
            if (tagLength == tag.length) {
                tag = Arrays.copyOf(tag, tag.length * 2);
            }
            tag[tagLength++] = (byte) b;
            b = require("the tag", from);
        }
        int end = tagLength > 0 && tag[tagLength - 1] == '/' ? tagLength - 1 : tagLength;
        int i = 0;
        while (i < end && isNameByte(tag[i])) {
            i++;
        }
        if (i == 0) {
            throw new Malformed(from, "a tag without a name");
        }
        nameEnd = i;
        while (true) {
            int spaces = i;
            while (i < end && isSpace(tag[i])) {
                i++;
            }
            if (i == end) {
                break;
            }
            if (i == spaces) {
                throw new Malformed(from, "the tag <" + tagName() + "> has no space before an attribute");
            }
            if (attributes == MAX_ATTRIBUTES) {
                throw new Malformed(from, "the tag <" + tagName() + "> has more than " + MAX_ATTRIBUTES + " attributes");
            }
            keyStart[attributes] = i;
            while (i < end && isNameByte(tag[i])) {
                i++;
            }
            keyEnd[attributes] = i;
            while (i < end && isSpace(tag[i])) {
                i++;
            }
            if (keyEnd[attributes] == keyStart[attributes] || i == end || tag[i] != '=') {
                throw new Malformed(from, "the tag <" + tagName() + "> has an attribute without a quoted value");
            }
            i++;
            while (i < end && isSpace(tag[i])) {
                i++;
            }
            if (i == end || (tag[i] != '"' && tag[i] != '\'')) {
                throw new Malformed(from, "the tag <" + tagName() + "> has an attribute without a quoted value");
            }
            byte q = tag[i++];
            valueStart[attributes] = i;
            while (i < end && tag[i] != q) {
                i++;
            }
            if (i == end) {
                throw new Malformed(from, "the tag <" + tagName() + "> has an unclosed attribute value");
            }
            valueEnd[attributes] = i++;
            attributes++;
        }
        return tagName();
    }

    /** The element names OSM XML uses, without a new string each time. */
    private static final String[] KNOWN_NAMES = {"node", "way", "relation", "tag", "nd", "member", "osm", "bounds"};

    private String tagName() {
        for (String known : KNOWN_NAMES) {
            if (known.length() == nameEnd && sameAscii(0, known)) {
                return known;
            }
        }
        return new String(tag, 0, nameEnd, StandardCharsets.UTF_8);
    }

    /** The attribute's value: UTF-8, XML's five entities and character references replaced, white space as spaces. */
    private String value(int a) throws Malformed {
        int from = valueStart[a];
        int to = valueEnd[a];
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            plain = tag[i] != '&' && tag[i] != '\n' && tag[i] != '\r' && tag[i] != '\t';
        }
        if (plain) {
            return new String(tag, from, to - from, StandardCharsets.UTF_8);
        }
        // every replacement is shorter than what it replaces ("&#65536;" is 8 bytes, its character 4): no growth
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = tag[i];
            if (b == '&') {
                int semicolon = i + 1;
                while (semicolon < to && tag[semicolon] != ';') {
                    semicolon++;
                }
                String entity = new String(tag, i + 1, semicolon - i - 1, StandardCharsets.UTF_8);
                if (semicolon == to) {
                    throw new Malformed(line, "an '&' without ';' in the value of " + key(a));
                }
                byte[] replaced = entity(entity, a).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(replaced, 0, out, n, replaced.length);
                n += replaced.length;
                i = semicolon;
            } else if (b == '\r' && i + 1 < to && tag[i + 1] == '\n') {
                // a Windows line end is one end of line, hence one space
                continue;
            } else {
                out[n++] = b == '\n' || b == '\r' || b == '\t' ? (byte) ' ' : b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private String entity(String entity, int a) throws Malformed {
        switch (entity) {
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "amp":
                return "&";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                break;
        }
        try {
            if (entity.startsWith("#x")) {
                return Character.toString(Integer.parseInt(entity.substring(2), 16));
            }
            if (entity.startsWith("#")) {
                return Character.toString(Integer.parseInt(entity.substring(1)));
            }
        } catch (IllegalArgumentException notACharacter) {
            // said below
        }
        throw new Malformed(line, "the value of " + key(a) + " uses &" + entity + ";, which XML does not define "
                + "(and a DTD is refused)");
    }

    private String key(int a) {
        return new String(tag, keyStart[a], keyEnd[a] - keyStart[a], StandardCharsets.UTF_8);
    }

    private boolean sameAscii(int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (tag[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameByte(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '-'
                || b == ':' || b == '.' || b < 0;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /** Whether the next bytes are {@code text}, consuming them if so. */
    private boolean startsWith(String text) throws IOException {
        if (fill(text.length()) < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (buffer[position + i] != text.charAt(i)) {
                return false;
            }
        }
        position += text.length();
        return true;
    }

    private void skipPast(String end, String what) throws IOException {
        int from = line;
        int matched = 0;
        while (matched < end.length()) {
            int b = require(what, from);
            if (b == '\n') {
                line++;
            }
            // both ends are two same characters then a third ("-->", "]]>"): "--->" still ends at its last three
            if (b == end.charAt(matched)) {
                matched++;
            } else if (matched != 2 || b != end.charAt(1)) {
                matched = b == end.charAt(0) ? 1 : 0;
            }
        }
    }

    /** The next byte; the end of the file here means it was cut in {@code what}, which starts on line {@code from}. */
    private int require(String what, int from) throws IOException {
        int b = read();
        if (b < 0) {
            throw new Malformed(line, "the file ends inside " + what + " that starts on line " + from + ": it is truncated");
        }
        return b;
    }

    private int read() throws IOException {
        if (position == limit && fill(1) == 0) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Makes at least {@code wanted} bytes available if the file has them; answers how many are. */
    private int fill(int wanted) throws IOException {
        if (limit - position >= wanted) {
            return limit - position;
        }
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        while (limit < wanted) {
            int n;
            try {
                n = in.read(buffer, limit, buffer.length - limit);
            } catch (EOFException cut) {
                // a compressed file cut short: its decompressor finds the end inside a block
                throw new Malformed(line, "the file ends early: it is truncated (" + cut.getMessage() + ")");
            }
            if (n < 0) {
                break;
            }
            limit += n;
        }
        return limit - position;
    }
}
