package org.caregrid.importer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Guesses the encoding of Chinese text files: a BOM decides; text that decodes as strict UTF-8 is UTF-8; otherwise
 * juniversalchardet's guess, with every GB-family answer read as GB18030 (a superset of GBK and GB2312, so nothing
 * that Excel's "ANSI" CSV on a Chinese Windows writes is lost).
 */
public final class TextEncoding {

    public static final Charset GB18030 = Charset.forName("GB18030");
    private static final int SAMPLE_BYTES = 1 << 20;

    private TextEncoding() {
    }

    public static Charset detect(Path file) throws IOException {
        byte[] sample;
        try (InputStream in = Files.newInputStream(file)) {
            sample = in.readNBytes(SAMPLE_BYTES);
        }
        boolean wholeFile = Files.size(file) <= SAMPLE_BYTES;
        return detect(sample, wholeFile);
    }

    static Charset detect(byte[] sample, boolean wholeFile) {
        if (sample.length >= 3 && (sample[0] & 0xFF) == 0xEF && (sample[1] & 0xFF) == 0xBB
                && (sample[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (sample.length >= 2 && (sample[0] & 0xFF) == 0xFF && (sample[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (sample.length >= 2 && (sample[0] & 0xFF) == 0xFE && (sample[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (isUtf8(sample, wholeFile)) {
            return StandardCharsets.UTF_8;
        }
        UniversalDetector detector = new UniversalDetector();
        detector.handleData(sample, 0, sample.length);
        detector.dataEnd();
        String guess = detector.getDetectedCharset();
        if (guess == null || guess.startsWith("GB") || guess.equalsIgnoreCase("HZ-GB-2312")) {
            // Unknown non-UTF-8 text from a Chinese office is GBK in practice.
            return GB18030;
        }
        try {
            return Charset.forName(guess);
        } catch (RuntimeException e) {
            return GB18030;
        }
    }

    private static boolean isUtf8(byte[] sample, boolean wholeFile) {
        int length = sample.length;
        if (!wholeFile) {
            // The sample may end inside a multi-byte character: drop a trailing partial sequence.
            int i = length - 1;
            int back = 0;
            while (i >= 0 && back < 3 && (sample[i] & 0xC0) == 0x80) {
                i--;
                back++;
            }
            if (i >= 0 && (sample[i] & 0x80) != 0) {
                length = i;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(sample, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The Java charset for a .cpg file's content ("UTF-8", "GBK", "936", "CP936"); null if unknown. */
    static String fromCpg(String cpg) {
        String t = cpg.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (t) {
            case "" -> null;
            case "936", "CP936", "GBK", "GB2312", "MS936", "ANSI 936" -> "cp936";
            case "GB18030", "54936" -> "GB18030";
            case "65001", "UTF8", "UTF-8" -> "UTF-8";
            default -> Charset.isSupported(t) ? t : null;
        };
    }
}
