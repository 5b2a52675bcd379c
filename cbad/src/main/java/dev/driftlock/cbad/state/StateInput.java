package dev.driftlock.cbad.state;

import dev.driftlock.cbad.CbadException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads state written by {@link StateOutput}; every inconsistency is a
 * {@link CbadException.SnapshotException}. Internal to the engine.
 */
public final class StateInput {

    private static final int MAX_ARRAY = 64 << 20;
    private final ByteBuffer in;

    /** @param data bytes written by {@link StateOutput} */
    public StateInput(byte[] data) {
        this.in = ByteBuffer.wrap(data);
    }

    private static CbadException.SnapshotException corrupt(String what) {
        return new CbadException.SnapshotException("corrupt snapshot: " + what, null);
    }

    /** @return next int */
    public int i32() {
        try {
            return in.getInt();
        } catch (BufferUnderflowException e) {
            throw corrupt("truncated");
        }
    }

    /** @return next long */
    public long i64() {
        try {
            return in.getLong();
        } catch (BufferUnderflowException e) {
            throw corrupt("truncated");
        }
    }

    /** @return next double */
    public double f64() {
        return Double.longBitsToDouble(i64());
    }

    /** @return next boolean */
    public boolean bool() {
        return i32() != 0;
    }

    /**
     * @param min smallest allowed
     * @param max largest allowed
     * @param what name for the error
     * @return next int, checked
     */
    public int i32(int min, int max, String what) {
        int v = i32();
        if (v < min || v > max) {
            throw corrupt(what + " out of range: " + v);
        }
        return v;
    }

    /** @return next byte array or null */
    public byte[] bytes() {
        int n = i32();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > in.remaining()) {
            throw corrupt("bad array length " + n);
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** @return next string or null */
    public String str() {
        byte[] b = bytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** @return next double array */
    public double[] doubles() {
        int n = i32(0, MAX_ARRAY, "array length");
        if ((long) n * 8 > in.remaining()) {
            throw corrupt("bad array length " + n);
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = f64();
        }
        return a;
    }

    /** @return next int array */
    public int[] ints() {
        int n = i32(0, MAX_ARRAY, "array length");
        if ((long) n * 4 > in.remaining()) {
            throw corrupt("bad array length " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i32();
        }
        return a;
    }

    /** @throws CbadException.SnapshotException if bytes are left over */
    public void expectEnd() {
        if (in.hasRemaining()) {
            throw corrupt(in.remaining() + " unexpected trailing bytes");
        }
    }
}
