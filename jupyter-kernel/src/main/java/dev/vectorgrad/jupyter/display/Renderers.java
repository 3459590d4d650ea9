package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's renderer registry: picks the {@link Renderer} for a value by its class and builds the
 * {@link MimeBundle} Jupyter shows. {@code text/plain} is always present.
 *
 * <p>Built in: {@link Tensor} (an HTML table, truncated like the text form), {@link Image} and
 * {@link BufferedImage} (PNG), {@link Html}, {@link Markdown}, arrays (their contents as text), and
 * the engine's display types ({@link EngineRenderers}: model summaries, charts, training histories).
 * Values without a renderer may still render richly by convention: a public no-argument method
 * {@code toHtml()}, {@code toSvg()} or {@code toMarkdown()} returning a {@code String}, or
 * {@code toPng()} returning {@code byte[]}, is used when present. That lets engine classes (a summary,
 * a training history, a chart) render in notebooks without depending on the kernel.
 */
public final class Renderers {

    private static final Map<Class<?>, Renderer<?>> BY_TYPE = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Optional<Renderer<?>>> RESOLVED = new ConcurrentHashMap<>();
    private static final Set<String> LOADED_SERVICES = ConcurrentHashMap.newKeySet();

    static {
        register(Renderer.of(Tensor.class, (t, out) -> out.text(t.toString()).html(TensorHtml.html(t))));
        register(Renderer.of(Image.class, (img, out) -> out.text(img.toString()).png(img.png(), img.width(), img.height())));
        register(Renderer.of(BufferedImage.class, (img, out) -> {
            Image i = Image.of(img);
            out.text(i.toString()).png(i.png(), i.width(), i.height());
        }));
        register(Renderer.of(Html.class, (h, out) -> out.text(stripTags(h.html())).html(h.html())));
        register(Renderer.of(Markdown.class, (m, out) -> out.text(m.markdown()).markdown(m.markdown())));
        EngineRenderers.registerAll();
    }

    private Renderers() {
    }

    /** Makes {@code renderer} the one for its type, replacing an earlier one for the same type. */
    public static void register(Renderer<?> renderer) {
        BY_TYPE.put(renderer.type(), renderer);
        RESOLVED.clear();
    }

    /** Removes the renderer registered for exactly {@code type}, if any. */
    public static void unregister(Class<?> type) {
        BY_TYPE.remove(type);
        RESOLVED.clear();
    }

    /**
     * Registers every {@link Renderer} listed as a service in {@code loader}'s class path that was not
     * loaded before. Returns how many were added. A broken provider is skipped, not fatal.
     */
    public static int loadServices(ClassLoader loader) {
        int added = 0;
        ServiceLoader<Renderer> services = ServiceLoader.load(Renderer.class, loader);
        var it = services.iterator();
        while (true) {
            Renderer<?> r;
            try {
                if (!it.hasNext()) {
                    break;
                }
                r = it.next();
            } catch (ServiceConfigurationError e) {
                System.err.println("renderer skipped: " + e.getMessage());
                continue;
            }
            if (LOADED_SERVICES.add(r.getClass().getName())) {
                register(r);
                added++;
            }
        }
        return added;
    }

    /** The renderer used for values of class {@code c}, if any (not counting the method convention). */
    public static Optional<Renderer<?>> find(Class<?> c) {
        return RESOLVED.computeIfAbsent(c, Renderers::lookup);
    }

    private static Optional<Renderer<?>> lookup(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            Renderer<?> r = BY_TYPE.get(k);
            if (r != null) {
                return Optional.of(r);
            }
        }
        Deque<Class<?>> queue = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            queue.addAll(Arrays.asList(k.getInterfaces()));
        }
        while (!queue.isEmpty()) {
            Class<?> i = queue.poll();
            if (!seen.add(i)) {
                continue;
            }
            Renderer<?> r = BY_TYPE.get(i);
            if (r != null) {
                return Optional.of(r);
            }
            queue.addAll(Arrays.asList(i.getInterfaces()));
        }
        return Optional.empty();
    }

    /**
     * All representations of {@code value}. A renderer that throws falls back to the text form, with
     * the failure noted in it, so that showing a value never fails a cell.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static MimeBundle render(Object value) {
        MimeBundle out = new MimeBundle();
        if (value == null) {
            return out.text("null");
        }
        Optional<Renderer<?>> r = find(value.getClass());
        try {
            if (r.isPresent()) {
                ((Renderer) r.get()).render(value, out);
            } else {
                byConvention(value, out);
            }
        } catch (Throwable e) {
            rethrowStop(e);
            out = new MimeBundle();
            out.text(text(value) + "\n(rich display failed: " + e + ")");
        }
        if (!out.has(MimeBundle.TEXT)) {
            out.text(text(value));
        }
        return out;
    }

    /** The plain-text form: {@code toString()}, with array contents spelled out. */
    public static String text(Object value) {
        if (value == null) {
            return "null";
        }
        try {
            if (value.getClass().isArray()) {
                String s = Arrays.deepToString(new Object[] {value});
                return s.substring(1, s.length() - 1);
            }
            return String.valueOf(value);
        } catch (Throwable e) {
            rethrowStop(e);
            return value.getClass().getName() + " (toString() threw " + e + ")";
        }
    }

    /**
     * A renderer may run user code (a cell's {@code toString()}); when the user interrupts it, the
     * stop signal must travel on rather than be shown as a rendering failure.
     */
    private static void rethrowStop(Throwable e) {
        if (e instanceof Error err && err.getClass().getName().equals("java.lang.ThreadDeath")) {
            throw err;
        }
    }

    private static void byConvention(Object value, MimeBundle out) throws Exception {
        Class<?> c = value.getClass();
        if (!Modifier.isPublic(c.getModifiers())) {
            return;
        }
        Object html = call(value, "toHtml", String.class);
        if (html != null) {
            out.html((String) html);
        }
        Object svg = call(value, "toSvg", String.class);
        if (svg != null) {
            out.svg((String) svg);
        }
        Object md = call(value, "toMarkdown", String.class);
        if (md != null) {
            out.markdown((String) md);
        }
        Object png = call(value, "toPng", byte[].class);
        if (png != null) {
            out.png((byte[]) png, 0, 0);
        }
    }

    private static Object call(Object value, String name, Class<?> returns) throws Exception {
        Method m;
        try {
            m = value.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (m.getReturnType() != returns || Modifier.isStatic(m.getModifiers())
                || !Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
            return null;
        }
        try {
            return m.invoke(value);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static String stripTags(String html) {
        String s = html.replaceAll("(?s)<[^>]*>", "").strip();
        return s.isEmpty() ? "<HTML>" : s;
    }
}
