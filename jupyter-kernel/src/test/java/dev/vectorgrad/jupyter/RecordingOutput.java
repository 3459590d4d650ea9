package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.MimeBundle;

import java.util.ArrayList;
import java.util.List;

/** A {@link CellOutput} that keeps everything, for assertions. */
final class RecordingOutput implements CellOutput {

    record Shown(MimeBundle bundle, String id, boolean update) {
    }

    final StringBuffer out = new StringBuffer();
    final StringBuffer err = new StringBuffer();
    final List<Shown> displays = new ArrayList<>();

    @Override
    public void stdout(String text) {
        out.append(text);
    }

    @Override
    public void stderr(String text) {
        err.append(text);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId) {
        displays.add(new Shown(bundle, displayId, false));
    }

    @Override
    public synchronized void updateDisplay(MimeBundle bundle, String displayId) {
        displays.add(new Shown(bundle, displayId, true));
    }
}
