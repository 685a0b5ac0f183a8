package dev.chainer.operator.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * How the operator's cost grows with the number of jobs, as an SVG written beside the report: one small line chart
 * per measure (writes per job, reconciles per job, memory, the bare-client ratio), jobs on a logarithmic axis.
 * Plain SVG, no dependency; a measure the run could not take (memory of an operator in the benchmark's JVM) is left
 * out.
 */
final class CostPlot {
  private static final int PANEL_WIDTH = 300;
  private static final int PANEL_HEIGHT = 220;
  private static final int MARGIN = 45;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c"};

  /** One line of a panel. */
  record Series(String label, ToDoubleFunction<Benchmark.Result> value) {}

  /** One chart: a title and its lines. */
  record Panel(String title, List<Series> series) {}

  static final List<Panel> PANELS = List.of(
      new Panel("writes per job (minimum " + Benchmark.MINIMUM_WRITES_PER_JOB + ")",
          List.of(new Series("writes/job", Benchmark.Result::writesPerJob))),
      new Panel("reconciles per job", List.of(new Series("reconciles/job", r -> r.reconciliations() / (double) r.jobs()))),
      new Panel("operator memory (MiB)", List.of(new Series("RSS", r -> r.rss() / 1048576.0),
          new Series("heap after GC", r -> r.heapAfterGc() / 1048576.0))),
      new Panel("bare-client ratio (1 = as fast)", List.of(new Series("ratio", Benchmark.Result::throughputRatio))));

  private CostPlot() {}

  static String svg(List<Benchmark.Result> unsorted) {
    List<Benchmark.Result> results = unsorted.stream().sorted(Comparator.comparingInt(Benchmark.Result::jobs)).toList();
    int width = PANELS.size() * (PANEL_WIDTH + MARGIN) + MARGIN;
    int height = PANEL_HEIGHT + 2 * MARGIN + 20;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        + "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n"
        + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height));
    for (int i = 0; i < PANELS.size(); i++) {
      panel(svg, PANELS.get(i), results, MARGIN + i * (PANEL_WIDTH + MARGIN), MARGIN);
    }
    return svg.append("</svg>\n").toString();
  }

  private static void panel(StringBuilder svg, Panel panel, List<Benchmark.Result> results, int x0, int y0) {
    double minX = Math.log10(results.get(0).jobs());
    double maxX = Math.max(minX + 1, Math.log10(results.get(results.size() - 1).jobs()));
    double maxY = 0;
    for (Series s : panel.series()) {
      for (Benchmark.Result r : results) {
        maxY = Math.max(maxY, s.value().applyAsDouble(r));
      }
    }
    maxY = maxY <= 0 ? 1 : niceCeiling(maxY * 1.1);
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, y0 - 15,
        panel.title()));
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#888\"/>%n", x0, y0, PANEL_WIDTH, PANEL_HEIGHT));
    for (int tick = 0; tick <= 4; tick++) { // y axis: 0 to maxY in quarters
      double v = maxY * tick / 4;
      int y = y0 + PANEL_HEIGHT - (int) Math.round(PANEL_HEIGHT * tick / 4.0);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", x0, y, x0 + PANEL_WIDTH, y, x0 - 4, y + 4,
          label(v)));
    }
    for (Benchmark.Result r : results) { // x axis: the measured job counts
      int x = xOf(r.jobs(), minX, maxX, x0);
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
          y0 + PANEL_HEIGHT + 14, r.jobs()));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">jobs (log scale)</text>%n",
        x0 + PANEL_WIDTH / 2, y0 + PANEL_HEIGHT + 30));
    int line = 0;
    for (Series s : panel.series()) {
      if (results.stream().anyMatch(r -> s.value().applyAsDouble(r) < 0)) {
        continue; // not measured (the operator shared the benchmark's JVM)
      }
      String colour = COLOURS[line % COLOURS.length];
      StringBuilder points = new StringBuilder();
      for (Benchmark.Result r : results) {
        int x = xOf(r.jobs(), minX, maxX, x0);
        int y = y0 + PANEL_HEIGHT - (int) Math.round(PANEL_HEIGHT * s.value().applyAsDouble(r) / maxY);
        points.append(x).append(',').append(y).append(' ');
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n", x, y, colour));
      }
      svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>"
          + "%n<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", points.toString().trim(), colour, x0 + 6,
          y0 + 14 + 13 * line, colour, s.label()));
      line++;
    }
  }

  private static int xOf(int jobs, double minX, double maxX, int x0) {
    return x0 + 10 + (int) Math.round((PANEL_WIDTH - 20) * (Math.log10(jobs) - minX) / (maxX - minX));
  }

  /** 1, 2 or 5 times a power of ten, at least v. */
  static double niceCeiling(double v) {
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String label(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
