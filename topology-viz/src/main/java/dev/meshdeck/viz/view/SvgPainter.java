package dev.meshdeck.viz.view;

import java.util.Locale;

/**
 * A {@link Painter} that writes an SVG document: what {@link SceneDrawer} draws on the canvas, as vector
 * elements (batches of lines become one {@code path} each). {@link #document()} gives the finished text.
 */
public final class SvgPainter implements Painter {

    private final StringBuilder body = new StringBuilder(1 << 16);
    private double width;
    private double height;
    private StringBuilder path;
    private String pathStyle;

    @Override
    public void clear(double w, double h, int argb) {
        width = w;
        height = h;
        body.setLength(0);
        body.append("<rect x=\"0\" y=\"0\" width=\"").append(n(w)).append("\" height=\"").append(n(h)).append('"')
                .append(fill(argb)).append("/>\n");
    }

    @Override
    public void fillRect(double x, double y, double w, double h, int argb) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append('"').append(fill(argb)).append("/>\n");
    }

    @Override
    public void fillRoundRect(double x, double y, double w, double h, double arc, int argb) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" rx=\"").append(n(arc / 2)).append('"')
                .append(fill(argb)).append("/>\n");
    }

    @Override
    public void strokeRoundRect(double x, double y, double w, double h, double arc, int argb, double lineWidth) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" rx=\"").append(n(arc / 2))
                .append("\" fill=\"none\"").append(stroke(argb, lineWidth)).append("/>\n");
    }

    @Override
    public void fillOval(double cx, double cy, double r, int argb) {
        body.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append('"').append(fill(argb)).append("/>\n");
    }

    @Override
    public void fillPolygon(double[] xs, double[] ys, int count, int argb) {
        body.append("<polygon points=\"");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        body.append('"').append(fill(argb)).append("/>\n");
    }

    @Override
    public void strokeArc(double cx, double cy, double r, double startDeg, double extentDeg, int argb,
                          double lineWidth) {
        double a0 = Math.toRadians(startDeg);
        double a1 = Math.toRadians(startDeg + extentDeg);
        // screen y grows downwards: counter-clockwise on screen is a negative sine
        double x0 = cx + r * Math.cos(a0);
        double y0 = cy - r * Math.sin(a0);
        double x1 = cx + r * Math.cos(a1);
        double y1 = cy - r * Math.sin(a1);
        int large = Math.abs(extentDeg) > 180 ? 1 : 0;
        int sweep = extentDeg > 0 ? 0 : 1;
        body.append("<path d=\"M").append(n(x0)).append(' ').append(n(y0)).append(" A").append(n(r)).append(' ')
                .append(n(r)).append(" 0 ").append(large).append(' ').append(sweep).append(' ').append(n(x1))
                .append(' ').append(n(y1)).append("\" fill=\"none\"").append(stroke(argb, lineWidth)).append("/>\n");
    }

    @Override
    public void beginLines(int argb, double lineWidth, boolean dashed) {
        path = new StringBuilder();
        pathStyle = stroke(argb, lineWidth) + (dashed ? " stroke-dasharray=\"" + n(lineWidth * 4) + ' '
                + n(lineWidth * 3) + '"' : "");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2) {
        path.append('M').append(n(x1)).append(' ').append(n(y1)).append('L').append(n(x2)).append(' ').append(n(y2));
    }

    @Override
    public void endLines() {
        if (path.length() > 0) {
            body.append("<path d=\"").append(path).append("\" fill=\"none\"").append(pathStyle).append("/>\n");
        }
        path = null;
    }

    @Override
    public void text(String s, double x, double y, double size, boolean bold, int argb, Align align) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"")
                .append(n(size)).append('"');
        if (bold) {
            body.append(" font-weight=\"bold\"");
        }
        if (align != Align.LEFT) {
            body.append(" text-anchor=\"").append(align == Align.CENTER ? "middle" : "end").append('"');
        }
        body.append(fill(argb)).append('>').append(escape(s)).append("</text>\n");
    }

    /** The SVG document of everything painted since the last {@link #clear}. */
    public String document() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + n(width) + "\" height=\"" + n(height)
                + "\" viewBox=\"0 0 " + n(width) + ' ' + n(height) + "\" font-family=\"sans-serif\">\n"
                + body + "</svg>\n";
    }

    private static String fill(int argb) {
        int a = argb >>> 24;
        return " fill=\"" + rgb(argb) + '"' + (a == 255 ? "" : " fill-opacity=\"" + n(a / 255.0) + '"');
    }

    private static String stroke(int argb, double width) {
        int a = argb >>> 24;
        return " stroke=\"" + rgb(argb) + "\" stroke-width=\"" + n(width) + '"'
                + (a == 255 ? "" : " stroke-opacity=\"" + n(a / 255.0) + '"');
    }

    static String rgb(int argb) {
        return String.format(Locale.ROOT, "#%06x", argb & 0xFFFFFF);
    }

    private static String n(double v) {
        long r = Math.round(v * 100);
        return r % 100 == 0 ? Long.toString(r / 100) : Double.toString(r / 100.0);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
