package dev.vectorgrad.jupyter.display;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The representations of one value, keyed by MIME type ({@code text/plain}, {@code text/html},
 * {@code image/png}, ...), with optional per-type metadata; what a {@link Renderer} fills in and the
 * kernel sends to Jupyter as a display message.
 */
public final class MimeBundle {

    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";
    public static final String LATEX = "text/latex";
    public static final String JSON = "application/json";

    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    public MimeBundle text(String text) {
        return put(TEXT, text);
    }

    public MimeBundle html(String html) {
        return put(HTML, html);
    }

    public MimeBundle markdown(String markdown) {
        return put(MARKDOWN, markdown);
    }

    public MimeBundle svg(String svg) {
        return put(SVG, svg);
    }

    public MimeBundle latex(String latex) {
        return put(LATEX, latex);
    }

    /** A PNG image from its encoded bytes; {@code width}/{@code height} (pixels, 0 = unset) go into metadata. */
    public MimeBundle png(byte[] png, int width, int height) {
        put(PNG, Base64.getEncoder().encodeToString(png));
        if (width > 0 && height > 0) {
            metadata.put(PNG, Map.of("width", width, "height", height));
        }
        return this;
    }

    /** Any MIME type; binary types must be given base64-encoded, as Jupyter's protocol wants them. */
    public MimeBundle put(String mimeType, Object value) {
        data.put(Objects.requireNonNull(mimeType, "mimeType"), Objects.requireNonNull(value, "value"));
        return this;
    }

    public MimeBundle metadata(String mimeType, Object value) {
        metadata.put(mimeType, value);
        return this;
    }

    public boolean has(String mimeType) {
        return data.containsKey(mimeType);
    }

    public Object get(String mimeType) {
        return data.get(mimeType);
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }

    /** The representations, in the order they were added. */
    public Map<String, Object> data() {
        return Map.copyOf(data);
    }

    public Map<String, Object> metadata() {
        return Map.copyOf(metadata);
    }
}
