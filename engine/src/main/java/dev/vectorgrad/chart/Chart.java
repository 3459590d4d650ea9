package dev.vectorgrad.chart;

import java.util.List;
import java.util.Objects;

/**
 * A figure of one or more {@link LineChart} panels side by side, under a title: what
 * {@code History.plot()} returns (loss on the left, accuracy on the right). Data only; the Jupyter
 * kernel renders it, {@link #toString()} sketches it in text.
 */
public final class Chart {

    private final String title;
    private final List<LineChart> panels;

    public Chart(String title, List<LineChart> panels) {
        this.title = Objects.requireNonNull(title, "Chart: title is null");
        Objects.requireNonNull(panels, "Chart: panels is null");
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("Chart '" + title + "': no panels to show");
        }
        this.panels = List.copyOf(panels);
    }

    public static Chart of(String title, LineChart... panels) {
        return new Chart(title, List.of(panels));
    }

    public String title() {
        return title;
    }

    /** The panels, left to right. */
    public List<LineChart> panels() {
        return panels;
    }

    /** Panel {@code index}, counting from 0 on the left. */
    public LineChart panel(int index) {
        return panels.get(index);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(title);
        for (LineChart p : panels) {
            sb.append("\n").append(p.toString().indent(2).stripTrailing());
        }
        return sb.toString();
    }
}
