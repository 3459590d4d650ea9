package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.MimeBundle;

/** Where a running cell's output goes: its streams and its displays. Implementations are thread-safe. */
public interface CellOutput {

    void stdout(String text);

    void stderr(String text);

    /** Shows {@code bundle}; {@code displayId} (may be null) lets a later update replace it. */
    void display(MimeBundle bundle, String displayId);

    /** Replaces what an earlier display with {@code displayId} shows. */
    void updateDisplay(MimeBundle bundle, String displayId);

    /**
     * Clears what the cell has shown so far; with {@code waitForNext}, only when its next output
     * arrives (no flicker when a loop redraws).
     */
    default void clearOutput(boolean waitForNext) {
    }

    /** Output that goes nowhere (no cell is running). */
    CellOutput NONE = new CellOutput() {
        @Override
        public void stdout(String text) {
        }

        @Override
        public void stderr(String text) {
        }

        @Override
        public void display(MimeBundle bundle, String displayId) {
        }

        @Override
        public void updateDisplay(MimeBundle bundle, String displayId) {
        }
    };
}
