/**
 * Charts as plain data, for the Jupyter kernel to draw: {@link dev.vectorgrad.chart.Chart} (a titled
 * row of panels), {@link dev.vectorgrad.chart.LineChart} (one panel: title, axis labels, series),
 * {@link dev.vectorgrad.chart.Series} (named x/y values), {@link dev.vectorgrad.chart.ScatterChart}
 * (groups of points), {@link dev.vectorgrad.chart.DecisionBoundary} (a classifier's class and certainty
 * on a grid, with the data's points; see {@code train.Plots}) and {@link dev.vectorgrad.chart.BarChart}
 * (benchmark results, accuracies). The engine has no plotting dependency; each type also prints a short
 * text sketch for terminals and logs.
 *
 * <pre>{@code
 * History h = Trainer.fit(model, data.train(), Loss.crossEntropy(), opt, Fit.epochs(5));
 * Chart c = h.plot();                    // panels "Loss" and "Accuracy", series loss / val_loss ...
 * c.panel(0).series("val_loss").y();     // the numbers behind a curve
 * }</pre>
 */
package dev.vectorgrad.chart;
