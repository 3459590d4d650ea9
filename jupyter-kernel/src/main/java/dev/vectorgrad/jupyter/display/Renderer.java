package dev.vectorgrad.jupyter.display;

/**
 * Turns values of one type into rich notebook output. A renderer is chosen by the value's class: the
 * most specific registered type wins (the class itself, then its superclasses, then its interfaces).
 *
 * <p>Register one with {@link Renderers#register(Renderer)} (from a cell or a library), or list it in
 * {@code META-INF/services/dev.vectorgrad.jupyter.display.Renderer} of a jar on the kernel's class path
 * (also jars added later with {@code %classpath} or {@code %maven}). A renderer only adds the
 * representations it has; {@code text/plain} is filled in from {@code toString()} when it adds none.
 *
 * <pre>{@code
 * Renderers.register(Renderer.of(ConfusionMatrix.class, (m, out) -> out.html(m.toHtmlTable())));
 * }</pre>
 *
 * @param <T> the type rendered
 */
public interface Renderer<T> {

    /** The class (or interface) whose instances this renderer handles. */
    Class<T> type();

    /** Adds the representations of {@code value} to {@code out}. */
    void render(T value, MimeBundle out) throws Exception;

    /** A renderer from a type and a function. */
    static <T> Renderer<T> of(Class<T> type, RenderFunction<? super T> f) {
        return new Renderer<>() {
            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public void render(T value, MimeBundle out) throws Exception {
                f.render(value, out);
            }
        };
    }

    /** The body of a renderer, for {@link #of}. */
    @FunctionalInterface
    interface RenderFunction<T> {
        void render(T value, MimeBundle out) throws Exception;
    }
}
