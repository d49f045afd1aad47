import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** plot.png: latency p50 (solid) and p99 (dashed) against offered load, one colour per system, log-scale latency. */
final class Plot {

    /** One system's points: offered rates, p50 and p99 in milliseconds. */
    record Series(String label, int[] rates, double[] p50, double[] p99) {
    }

    static final Color[] COLORS = { new Color(0x1f77b4), new Color(0xd62728), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0x8c564b) };

    static void draw(Path file, String title, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 1000;
        int height = 620;
        int left = 90;
        int right = 300;
        int top = 60;
        int bottom = 70;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);

        double min = Double.MAX_VALUE;
        double max = 0;
        int minRate = Integer.MAX_VALUE;
        int maxRate = 0;
        for (Series s : series) {
            for (int i = 0; i < s.rates.length; i++) {
                for (double v : new double[] { s.p50[i], s.p99[i] }) {
                    if (v > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                minRate = Math.min(minRate, s.rates[i]);
                maxRate = Math.max(maxRate, s.rates[i]);
            }
        }
        if (max == 0) {
            min = 0.1;
            max = 10;
        }
        double logMin = Math.floor(Math.log10(min));
        double logMax = Math.ceil(Math.log10(max));
        if (logMax <= logMin) {
            logMax = logMin + 1;
        }
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        final double lo = logMin;
        final double hi = logMax;
        final int x0 = minRate;
        final int x1 = Math.max(maxRate, minRate + 1);
        java.util.function.DoubleUnaryOperator ys = v -> top + plotH - (Math.log10(v) - lo) / (hi - lo) * plotH;
        java.util.function.IntUnaryOperator xs = r -> left + (int) ((double) (r - x0) / (x1 - x0) * plotW);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double e = logMin; e <= logMax; e++) {
            for (int m = 1; m < 10; m++) {
                double v = m * Math.pow(10, e);
                if (v > Math.pow(10, logMax)) {
                    break;
                }
                int y = (int) ys.applyAsDouble(v);
                g.setColor(m == 1 ? new Color(0xbbbbbb) : new Color(0xeeeeee));
                g.drawLine(left, y, left + plotW, y);
                if (m == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String label = v >= 1 ? String.format("%.0f ms", v) : String.format("%s ms", trim(v));
                    g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        for (Series s : series) {
            for (int r : s.rates) {
                int x = xs.applyAsInt(r);
                g.setColor(new Color(0xdddddd));
                g.drawLine(x, top, x, top + plotH);
                g.setColor(Color.DARK_GRAY);
                String label = r + "/s";
                g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + plotH + 18);
            }
            break;
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotW, plotH);
        g.drawString("offered load (calls/s, open loop, latency from each call's due time)", left, top + plotH + 45);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("latency (log scale)", -(top + plotH / 2 + 50), 22);
        rotated.dispose();

        BasicStroke solid = new BasicStroke(2.2f);
        BasicStroke dashed = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] { 7f, 5f }, 0f);
        int legendY = top + 10;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            Color color = COLORS[k % COLORS.length];
            g.setColor(color);
            for (int which = 0; which < 2; which++) {
                double[] values = which == 0 ? s.p50 : s.p99;
                g.setStroke(which == 0 ? solid : dashed);
                int px = -1;
                int py = -1;
                for (int i = 0; i < s.rates.length; i++) {
                    if (!(values[i] > 0)) {
                        px = -1;
                        continue;
                    }
                    int x = xs.applyAsInt(s.rates[i]);
                    int y = (int) ys.applyAsDouble(values[i]);
                    g.fillOval(x - 4, y - 4, 8, 8);
                    if (px >= 0) {
                        g.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
            }
            g.setStroke(solid);
            g.drawLine(left + plotW + 20, legendY, left + plotW + 45, legendY);
            g.setStroke(dashed);
            g.drawLine(left + plotW + 20, legendY + 14, left + plotW + 45, legendY + 14);
            g.setColor(Color.BLACK);
            g.drawString(s.label + " p50", left + plotW + 52, legendY + 4);
            g.drawString(s.label + " p99", left + plotW + 52, legendY + 18);
            legendY += 42;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static String trim(double v) {
        String text = String.format("%.3f", v);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
