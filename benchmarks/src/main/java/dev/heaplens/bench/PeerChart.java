package dev.heaplens.bench;

import dev.heaplens.bench.PeerComparison.Run;
import dev.heaplens.bench.PeerReport.Summary;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The chart of {@link PeerComparison}: median wall time and median peak RSS against dump size, one
 * series per tool, log-scaled values (the tools differ by more than ten times). Java2D and ImageIO only.
 * A tool that failed every round on a dump is drawn as a hollow marker at its time limit (and at the
 * memory it held when stopped), reached by a dashed line: its true value lies above.
 */
final class PeerChart {

    private static final int PANEL_W = 620;
    private static final int H = 460;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private PeerChart() {
    }

    private record Point(double x, double y, boolean failed) {
    }

    static void write(List<Run> runs, Path png) throws IOException {
        Map<String, Map<String, List<Run>>> grouped = PeerComparison.byDumpAndTool(runs);
        BufferedImage image = new BufferedImage(2 * PANEL_W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * PANEL_W, H);
        panel(g, 0, "Wall time, cold process (median, log scale)", "s", grouped, Summary::wallMedian);
        panel(g, PANEL_W, "Peak RSS (median, log scale)", "MB", grouped,
                s -> s.measured() ? s.rssMedianMb() : s.failedRssMb());
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int x0, String title, String unit, Map<String, Map<String, List<Run>>> grouped,
                              ToDoubleFunction<Summary> value) {
        List<List<Point>> series = new ArrayList<>();
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (String tool : PeerComparison.TOOLS) {
            List<Point> points = new ArrayList<>();
            for (Map.Entry<String, Map<String, List<Run>>> d : grouped.entrySet()) {
                List<Run> of = d.getValue().get(tool);
                if (of == null) {
                    continue;
                }
                Summary s = Summary.of(tool, of);
                double y = value.applyAsDouble(s);
                if (Double.isNaN(y) || y <= 0) {
                    continue;
                }
                Point p = new Point(of.get(0).dumpBytes() / 1e6, y, !s.measured());
                points.add(p);
                maxX = Math.max(maxX, p.x());
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            series.add(points);
        }
        if (maxY == 0) {
            return;
        }
        double logMin = Math.floor(Math.log10(minY));
        double logMax = Math.ceil(Math.log10(maxY));
        if (logMax == logMin) {
            logMax++;
        }
        double xMax = niceCeiling(maxX * 1.05);
        int plotW = PANEL_W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, x0 + LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // y grid: decades and 2, 5 between
        for (double e = logMin; e <= logMax; e++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, e);
                double lv = Math.log10(v);
                if (lv > logMax + 1e-9) {
                    continue;
                }
                int y = TOP + plotH - (int) Math.round((lv - logMin) / (logMax - logMin) * plotH);
                g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
                g.drawLine(x0 + LEFT, y, x0 + LEFT + plotW, y);
                g.setColor(Color.DARK_GRAY);
                String label = (v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2g", v)) + " " + unit;
                g.drawString(label, x0 + LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            }
        }
        // x ticks
        double step = niceCeiling(xMax / 5);
        for (double v = 0; v <= xMax + 1e-9; v += step) {
            int x = x0 + LEFT + (int) Math.round(v / xMax * plotW);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", v);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
        }
        String xLabel = "dump size (MB)";
        g.drawString(xLabel, x0 + LEFT + plotW / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, TOP + plotH + 40);
        g.setColor(Color.BLACK);
        g.drawRect(x0 + LEFT, TOP, plotW, plotH);

        for (int i = 0; i < series.size(); i++) {
            List<Point> points = series.get(i);
            Color c = COLORS[i % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (Point p : points) {
                int x = x0 + LEFT + (int) Math.round(p.x() / xMax * plotW);
                int y = TOP + plotH - (int) Math.round((Math.log10(p.y()) - logMin) / (logMax - logMin) * plotH);
                if (px >= 0) {
                    // into a stopped run's point the line is dashed: the true value lies above it
                    g.setStroke(p.failed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
                    g.drawLine(px, py, x, y);
                    g.setStroke(new BasicStroke(2f));
                }
                if (p.failed()) {
                    g.drawOval(x - 5, y - 5, 10, 10);
                    g.drawString("stopped", x + 7, y - 6 + 14 * (i - 1));
                } else {
                    g.fillOval(x - 5, y - 5, 10, 10);
                }
                px = x;
                py = y;
            }
            // legend
            int ly = TOP + 18 + 18 * i;
            g.fillRect(x0 + LEFT + 12, ly - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(PeerComparison.TOOLS.get(i), x0 + LEFT + 32, ly);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
