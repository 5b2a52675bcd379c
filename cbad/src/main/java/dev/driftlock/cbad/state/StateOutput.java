package dev.driftlock.cbad.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes detector state in a fixed big-endian binary layout. Internal to the engine.
 */
public final class StateOutput {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** @param v value */
    public void i32(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param v value */
    public void i64(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param v value (raw IEEE bits, exact) */
    public void f64(double v) {
        i64(Double.doubleToRawLongBits(v));
    }

    /** @param v value */
    public void bool(boolean v) {
        i32(v ? 1 : 0);
    }

    /** @param b byte array, length-prefixed (null allowed) */
    public void bytes(byte[] b) {
        if (b == null) {
            i32(-1);
            return;
        }
        i32(b.length);
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param s string, UTF-8 length-prefixed */
    public void str(String s) {
        bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** @param a doubles, length-prefixed */
    public void doubles(double[] a) {
        i32(a.length);
        for (double v : a) {
            f64(v);
        }
    }

    /** @param a ints, length-prefixed */
    public void ints(int[] a) {
        i32(a.length);
        for (int v : a) {
            i32(v);
        }
    }

    /** @return everything written */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
