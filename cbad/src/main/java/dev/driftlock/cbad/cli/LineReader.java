package dev.driftlock.cbad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Physical lines of the input, as {@code wc -l} counts them: split on LF only, a CR before the LF
 * is dropped (and remembered), a last line without LF is a line, a UTF-8 byte order mark before the
 * first line is dropped. Each line is decoded as UTF-8 on its own, so a line that is not valid UTF-8
 * is flagged (its text carries U+FFFD replacements) and the next line reads normally.
 */
final class LineReader {

    /**
     * One physical line.
     *
     * @param number      1-based line number
     * @param text        the decoded text without its line end
     * @param crlf        the line ended with CR LF
     * @param undecodable the bytes were not valid UTF-8 (text has replacement characters)
     */
    record Line(long number, String text, boolean crlf, boolean undecodable) {
    }

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private long number;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    LineReader(InputStream in) {
        this.in = in;
    }

    /** @return the next line, or null at the end of the input */
    Line next() throws IOException {
        int len = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int r = in.read(buf);
                pos = 0;
                limit = Math.max(r, 0);
                if (r < 0) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                continue;
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.max(2 * line.length, len + n));
            }
            System.arraycopy(buf, start, line, len, n);
            len += n;
            if (pos < limit) {
                pos++;
                break;
            }
        }
        number++;
        boolean crlf = len > 0 && line[len - 1] == '\r';
        if (crlf) {
            len--;
        }
        int off = 0;
        if (number == 1 && len >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
            off = 3;
        }
        return decode(off, len, crlf);
    }

    private Line decode(int off, int len, boolean crlf) {
        boolean ascii = true;
        for (int i = off; i < len && ascii; i++) {
            ascii = line[i] >= 0;
        }
        if (ascii) {
            return new Line(number, new String(line, off, len - off, StandardCharsets.ISO_8859_1), crlf, false);
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, off, len - off));
            return new Line(number, chars.toString(), crlf, false);
        } catch (CharacterCodingException e) {
            return new Line(number, new String(line, off, len - off, StandardCharsets.UTF_8), crlf, true);
        }
    }
}
