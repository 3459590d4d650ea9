package dev.vectorgrad.jupyter;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Runs snippets in this JVM (JShell's local execution) and keeps each snippet's value as the object
 * itself, so renderers receive the real {@code Tensor} rather than its {@code toString()}.
 *
 * <p>JShell's local execution runs each snippet on a fresh thread and makes snippet code stoppable:
 * it weaves a stop check into every method entry and loop back-edge of snippet classes, and its
 * {@code stop()} raises that flag and interrupts the snippet's thread group. This class runs the
 * snippet through a small public trampoline ({@link #run()}) so that the value is captured on the way
 * out; JShell still sees the same method result, exceptions and stops.
 */
public final class KernelExecutionControl extends LocalExecutionControl {

    /** What one snippet invocation hands to its thread: the method to run, and the value that came back. */
    private static final class Slot {
        volatile Method method;
        volatile Object value;
        volatile boolean hasValue;
        volatile boolean cancelled;
    }

    /** Inherited by the thread JShell creates for the snippet; emptied after each invocation. */
    private static final InheritableThreadLocal<Slot> SLOT = new InheritableThreadLocal<>();

    private static final Method TRAMPOLINE;

    static {
        try {
            TRAMPOLINE = KernelExecutionControl.class.getMethod("run");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Slot slot = new Slot();
    /** The wrapper class of the snippet invoked last (JShell keeps a snippet's variable in a static field of it). */
    private volatile Class<?> lastInvoked;

    public KernelExecutionControl(ClassLoader parent) {
        super(parent);
    }

    /**
     * Runs the snippet method of the current invocation. Public only because JShell calls it through
     * reflection from its own module; not for use from cells.
     */
    public static Object run() throws Throwable {
        Slot s = SLOT.get();
        Method m = s == null ? null : s.method;
        if (m == null) {
            throw new IllegalStateException("no snippet to run");
        }
        if (s.cancelled) {
            throw stopSignal();
        }
        try {
            Object v = m.invoke(null);
            s.value = v;
            s.hasValue = true;
            return null; // JShell would call toString() on it; the kernel renders the object itself
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("removal")
    private static Throwable stopSignal() {
        return new ThreadDeath();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        if (slot.cancelled) {
            throw new StoppedException();
        }
        lastInvoked = doitMethod.getDeclaringClass();
        Slot previous = SLOT.get();
        SLOT.set(slot);
        slot.method = doitMethod;
        slot.value = null;
        slot.hasValue = false;
        try {
            return super.invoke(TRAMPOLINE);
        } finally {
            slot.method = null;
            SLOT.set(previous);
        }
    }

    /** The class of the snippet invoked last, and forgets it; null when none ran since the last call. */
    Class<?> takeInvokedClass() {
        Class<?> c = lastInvoked;
        lastInvoked = null;
        return c;
    }

    /**
     * Sets the static field {@code name} of a snippet's wrapper class to null (or zero), so the value
     * of a variable that can no longer be named can be collected. JShell leaves it there when the
     * variable is dropped or replaced by one of another type.
     */
    static boolean release(Class<?> wrapper, String name) {
        try {
            java.lang.reflect.Field f = wrapper.getDeclaredField(name);
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                return false;
            }
            f.setAccessible(true);
            f.set(null, null);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** True when the last snippet returned normally; its value is then {@link #takeValue()}. */
    boolean hasValue() {
        return slot.hasValue;
    }

    /** The last snippet's value (null for void snippets), released so it can be collected. */
    Object takeValue() {
        Object v = slot.value;
        slot.value = null;
        slot.hasValue = false;
        return v;
    }

    /**
     * Raises JShell's stop flag even when no snippet is being invoked, so that snippet code running
     * elsewhere (a value's own {@code toString()} while the kernel renders it) stops too. The flag
     * is lowered again when the next snippet starts.
     */
    void forceStop() {
        try {
            findClass(CANCEL_CLASS).getField("allStop").setBoolean(null, true);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // no snippet has run yet: nothing to stop
        }
    }

    /** Name of the class holding JShell's stop flag in local execution (see {@link LocalExecutionControl}). */
    private static final String CANCEL_CLASS = "REPL.$Cancel$";

    /** While set, snippets about to start are stopped before they run. */
    void setCancelled(boolean cancelled) {
        slot.cancelled = cancelled;
    }

    /** Hands this instance to JShell. */
    ExecutionControlProvider provider() {
        KernelExecutionControl self = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "vectorgrad-local";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return self;
            }
        };
    }
}
