package dev.vectorgrad.jupyter;

/**
 * The kernel's interrupt state, for code that wants to stop cleanly when the user presses the
 * notebook's stop button.
 *
 * <p>When an interrupt arrives, the kernel (1) stops snippet code at its next loop iteration or
 * method entry, (2) sets the interrupt flag of the thread running the cell, and (3) raises
 * {@link #requested()} until the cell ends. Library code that runs long loops outside cells (the
 * engine's training loop) should poll the thread's own flag, which needs no dependency on the kernel:
 *
 * <pre>{@code
 * for (var batch : loader) {
 *     if (Thread.currentThread().isInterrupted()) {
 *         break;                       // or throw, after leaving the model consistent
 *     }
 *     ...
 * }
 * }</pre>
 *
 * Code that may clear the thread's flag (it catches {@link InterruptedException}) can use
 * {@link #requested()} or {@link #check()} instead.
 */
public final class Interrupts {

    private static volatile boolean requested;

    private Interrupts() {
    }

    /** True from an interrupt request until the interrupted cell has finished. */
    public static boolean requested() {
        return requested;
    }

    /** Throws {@link CellInterruptedException} if an interrupt was requested. */
    public static void check() {
        if (requested) {
            throw new CellInterruptedException();
        }
    }

    static void request() {
        requested = true;
    }

    static void clear() {
        requested = false;
    }

    /** Thrown by {@link #check()}. */
    public static final class CellInterruptedException extends RuntimeException {
        public CellInterruptedException() {
            super("interrupted by the user");
        }
    }
}
