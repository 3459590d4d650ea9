package dev.vectorgrad.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of an IDX file (the format of MNIST and Fashion-MNIST): a shape and the values, kept
 * in the file's own element type so nothing is widened before it is needed.
 *
 * <p>Memory: the 60,000 Fashion-MNIST training images are 47 MB as unsigned bytes but 188 MB as
 * floats. An {@code IdxArray} of {@link Type#UNSIGNED_BYTE} keeps the bytes; a dataset can either
 * convert everything once ({@link #toFloats(float)} with {@code 1f / 255}, giving values in [0, 1]),
 * or keep the bytes and convert one minibatch at a time into a reused buffer with
 * {@link #toFloats(int, int, float, float[], int)}, which allocates nothing.
 *
 * <p>Arrays passed to the factories and returned by the raw accessors ({@link #bytes()} and
 * friends) are shared, not copied.
 */
public final class IdxArray {

    /** IDX element types: the third byte of the magic number, and the size of one element. */
    public enum Type {
        UNSIGNED_BYTE(0x08, 1), SIGNED_BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        private final int code;
        private final int size;

        Type(int code, int size) {
            this.code = code;
            this.size = size;
        }

        /** The type code of the IDX header (0x08 for unsigned bytes, ...). */
        public int code() {
            return code;
        }

        /** Bytes per element in the file. */
        public int size() {
            return size;
        }

        /** The type with this header code, or null. */
        public static Type ofCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }

        static String known() {
            StringBuilder sb = new StringBuilder();
            for (Type t : values()) {
                sb.append(sb.isEmpty() ? "" : ", ").append(String.format("0x%02X %s", t.code, t.description()));
            }
            return sb.toString();
        }

        String description() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    /** Largest element count of one IDX array: what a Java array can hold. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Type type;
    private final int[] dims;
    private final int size;
    private final Object data; // byte[], short[], int[], float[] or double[], by type

    private IdxArray(Type type, int[] dims, Object data, int length) {
        this.type = type;
        this.dims = dims.clone();
        this.size = checkedSize(this.dims);
        if (length != size) {
            throw new IllegalArgumentException("IDX array: dims " + dimsString(this.dims) + " hold " + size
                    + " elements but " + length + " values were given");
        }
        this.data = data;
    }

    /** Unsigned bytes (type 0x08, what MNIST uses): each byte is read as 0..255. */
    public static IdxArray ofUnsignedBytes(byte[] data, int... dims) {
        return new IdxArray(Type.UNSIGNED_BYTE, dims, data, data.length);
    }

    /** Signed bytes (type 0x09): -128..127. */
    public static IdxArray ofSignedBytes(byte[] data, int... dims) {
        return new IdxArray(Type.SIGNED_BYTE, dims, data, data.length);
    }

    public static IdxArray ofShorts(short[] data, int... dims) {
        return new IdxArray(Type.SHORT, dims, data, data.length);
    }

    public static IdxArray ofInts(int[] data, int... dims) {
        return new IdxArray(Type.INT, dims, data, data.length);
    }

    public static IdxArray ofFloats(float[] data, int... dims) {
        return new IdxArray(Type.FLOAT, dims, data, data.length);
    }

    public static IdxArray ofDoubles(double[] data, int... dims) {
        return new IdxArray(Type.DOUBLE, dims, data, data.length);
    }

    /** Element count of {@code dims}: 1 to 255 dimensions, each at least 1, product within a Java array. */
    static int checkedSize(int[] dims) {
        Objects.requireNonNull(dims, "dims");
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException("IDX arrays have 1 to 255 dimensions, got " + dims.length);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("IDX dimensions must be at least 1, got " + dimsString(dims));
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("IDX dims " + dimsString(dims) + " hold more elements than a Java array can");
            }
        }
        return (int) n;
    }

    static String dimsString(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : " x ").append(dims[i]);
        }
        return sb.toString();
    }

    public Type type() {
        return type;
    }

    /** A copy of the dimensions, outermost first (for images: count, rows, cols). */
    public int[] dims() {
        return dims.clone();
    }

    public int dim(int i) {
        return dims[i];
    }

    public int rank() {
        return dims.length;
    }

    /** Number of elements: the product of the dimensions. */
    public int size() {
        return size;
    }

    /** Elements per entry of the first dimension (for images: rows &times; cols). */
    public int itemSize() {
        return size / dims[0];
    }

    /** Element {@code i} (in row-major order) as a float, exact for every type but large ints and doubles. */
    public float getFloat(int i) {
        Objects.checkIndex(i, size);
        return switch (type) {
            case UNSIGNED_BYTE -> ((byte[]) data)[i] & 0xFF;
            case SIGNED_BYTE -> ((byte[]) data)[i];
            case SHORT -> ((short[]) data)[i];
            case INT -> ((int[]) data)[i];
            case FLOAT -> ((float[]) data)[i];
            case DOUBLE -> (float) ((double[]) data)[i];
        };
    }

    /** All values as floats, unscaled (0..255 for MNIST pixels). */
    public float[] toFloats() {
        return toFloats(1f);
    }

    /** All values as floats, each multiplied by {@code scale} ({@code 1f / 255} maps pixels to [0, 1]). */
    public float[] toFloats(float scale) {
        float[] out = new float[size];
        toFloats(0, size, scale, out, 0);
        return out;
    }

    /**
     * Converts {@code count} elements starting at element {@code from} into {@code dst} starting at
     * {@code dstOffset}, each multiplied by {@code scale}: one minibatch of images into a reused
     * buffer, without allocating. For images, {@code from = firstImage * itemSize()}.
     */
    public void toFloats(int from, int count, float scale, float[] dst, int dstOffset) {
        Objects.checkFromIndexSize(from, count, size);
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        switch (type) {
            case UNSIGNED_BYTE -> {
                byte[] a = (byte[]) data;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (a[from + i] & 0xFF) * scale;
                }
            }
            case SIGNED_BYTE -> {
                byte[] a = (byte[]) data;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = a[from + i] * scale;
                }
            }
            case SHORT -> {
                short[] a = (short[]) data;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = a[from + i] * scale;
                }
            }
            case INT -> {
                int[] a = (int[]) data;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = a[from + i] * scale;
                }
            }
            case FLOAT -> {
                float[] a = (float[]) data;
                if (scale == 1f) {
                    System.arraycopy(a, from, dst, dstOffset, count);
                } else {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = a[from + i] * scale;
                    }
                }
            }
            case DOUBLE -> {
                double[] a = (double[]) data;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) (a[from + i] * scale);
                }
            }
        }
    }

    /**
     * All values as ints, for labels. Integer types convert exactly; FLOAT and DOUBLE only when
     * every value is a whole number in int range.
     *
     * @throws IllegalStateException naming the first value that is not a whole number
     */
    public int[] toInts() {
        int[] out = new int[size];
        switch (type) {
            case UNSIGNED_BYTE -> {
                byte[] a = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = a[i] & 0xFF;
                }
            }
            case SIGNED_BYTE -> {
                byte[] a = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = a[i];
                }
            }
            case SHORT -> {
                short[] a = (short[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = a[i];
                }
            }
            case INT -> System.arraycopy((int[]) data, 0, out, 0, size);
            case FLOAT, DOUBLE -> {
                for (int i = 0; i < size; i++) {
                    double v = type == Type.FLOAT ? ((float[]) data)[i] : ((double[]) data)[i];
                    if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new IllegalStateException("IDX " + type.description() + " value " + v + " at index " + i
                                + " is not a whole number, so it cannot be an integer label");
                    }
                    out[i] = (int) v;
                }
            }
        }
        return out;
    }

    /** The bytes themselves (not a copy), for UNSIGNED_BYTE and SIGNED_BYTE arrays. */
    public byte[] bytes() {
        return raw(byte[].class, Type.UNSIGNED_BYTE, Type.SIGNED_BYTE);
    }

    /** The values themselves (not a copy), for SHORT arrays. */
    public short[] shorts() {
        return raw(short[].class, Type.SHORT);
    }

    /** The values themselves (not a copy), for INT arrays. */
    public int[] ints() {
        return raw(int[].class, Type.INT);
    }

    /** The values themselves (not a copy), for FLOAT arrays. */
    public float[] floats() {
        return raw(float[].class, Type.FLOAT);
    }

    /** The values themselves (not a copy), for DOUBLE arrays. */
    public double[] doubles() {
        return raw(double[].class, Type.DOUBLE);
    }

    private <T> T raw(Class<T> kind, Type... types) {
        for (Type t : types) {
            if (t == type) {
                return kind.cast(data);
            }
        }
        throw new IllegalStateException("this IDX array holds " + type.description() + " values, not "
                + kind.getComponentType() + "; use toFloats() or toInts() to convert");
    }

    /** The storage array, whatever its type. */
    Object data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IdxArray other) || type != other.type || !Arrays.equals(dims, other.dims)) {
            return false;
        }
        return switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> Arrays.equals((byte[]) data, (byte[]) other.data);
            case SHORT -> Arrays.equals((short[]) data, (short[]) other.data);
            case INT -> Arrays.equals((int[]) data, (int[]) other.data);
            case FLOAT -> Arrays.equals((float[]) data, (float[]) other.data);
            case DOUBLE -> Arrays.equals((double[]) data, (double[]) other.data);
        };
    }

    @Override
    public int hashCode() {
        int h = switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> Arrays.hashCode((byte[]) data);
            case SHORT -> Arrays.hashCode((short[]) data);
            case INT -> Arrays.hashCode((int[]) data);
            case FLOAT -> Arrays.hashCode((float[]) data);
            case DOUBLE -> Arrays.hashCode((double[]) data);
        };
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + h;
    }

    @Override
    public String toString() {
        return "IdxArray[" + type.description() + ", " + dimsString(dims) + "]";
    }
}
