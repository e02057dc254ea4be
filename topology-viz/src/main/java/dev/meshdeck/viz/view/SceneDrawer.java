package dev.meshdeck.viz.view;

import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.MtlsState;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link SceneModel} through a {@link Painter}: the one place that decides what the picture looks
 * like, for the canvas and for SVG export alike.
 *
 * <p>Only what meets the visible rectangle is drawn. Level of detail follows the zoom: below
 * {@link #LOD_BLOCKS} nodes are plain health-coloured blocks and edges hairlines; labels, badges, arrows
 * and split bars appear as they become legible. Edges are stroked in batches of one colour and width.
 * Keeps per-scene caches (edge batches, filter results), so use one drawer per view, on one thread.
 */
public final class SceneDrawer {

    /** Below this zoom, nodes are blocks and edges hairlines. */
    public static final double LOD_BLOCKS = 0.15;
    /** From this zoom, arrows, badges, split bars and traffic dots. */
    public static final double LOD_DETAIL = 0.3;
    /** From this zoom, edge labels. */
    public static final double LOD_EDGE_LABELS = 0.55;
    /** Most traffic dots drawn in one frame. */
    static final int MAX_DOTS = 3000;

    private static final int HEALTH_COUNT = Health.values().length;

    private SceneModel cachedScene;
    private int[][] batches;
    private int[] widthClass;
    private double[] splitWeightOf;
    private NodeFilter cachedFilter;
    private boolean cachedHideIdle;
    private boolean[] nodeVisible;
    private boolean[] edgeVisible;
    private String cachedQuery;
    private boolean[] nodeMatches;
    private long backgroundDraws;
    private long edgeLayerDraws;
    private long scaledFrames;
    private long stillRegionDraws;
    /** When the scale last changed ({@code seconds} of {@link #draw}), NaN when no zoom is in motion. */
    private double zoomMovedAt = Double.NaN;
    private boolean lastFrameScaled;
    private boolean settleNext;
    /** The viewport of the last frame: the still picture gets its margin only while a pan changes it. */
    private double lastScale = Double.NaN;
    private double lastOffsetX = Double.NaN;
    private double lastOffsetY = Double.NaN;
    private long foregroundDraws;
    private final double[] xs = new double[4];
    private final double[] ys = new double[4];

    /**
     * What the highlights, nodes and labels depend on: what the edges do (the scene, the view, the filter)
     * and the view state (selection, hover, find query, drags) and the kind of edge label. With the viewport
     * left out of the edges' key, it is what the whole still picture depends on but the viewport.
     */
    private record ForegroundKey(EdgeLayerKey edges, ViewState state, EdgeLabel edgeLabel) {
    }

    /**
     * What the edges and arrow heads depend on: the scene (by identity: a changed graph or layout is a new
     * scene), the viewport and screen size, the filter and whether a find query dims them.
     */
    private record EdgeLayerKey(SceneModel scene, Viewport viewport, double width, double height, NodeFilter filter,
                                boolean hideIdle, boolean dimmed) {
        @Override
        public boolean equals(Object o) {
            return o instanceof EdgeLayerKey k && k.scene == scene && k.viewport.equals(viewport)
                    && k.width == width && k.height == height && k.filter.equals(filter) && k.hideIdle == hideIdle
                    && k.dimmed == dimmed;
        }

        /** This key with the viewport left out. */
        EdgeLayerKey withoutViewport() {
            return new EdgeLayerKey(scene, Viewport.IDENTITY, width, height, filter, hideIdle, dimmed);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(scene) * 31 + viewport.hashCode();
        }
    }

    /** A plane's key and the margin it is drawn with. */
    private record Margined(Object key, double margin) {
    }

    /**
     * How far (pixels) beyond a region of the still picture what may reach into it is drawn: an edge label
     * centred up to this far outside may overlap it.
     */
    private static final double REGION_REACH = 100;

    /** The traffic dots' key when there are none: nothing to draw again. */
    private static final Object NO_DOTS = "no traffic dots";

    /**
     * How long a zoom rests before the still picture is drawn afresh at its new scale: until then a painter
     * that keeps the last one shows it scaled ({@link Painter#showStillScaled}).
     */
    public static final double ZOOM_SETTLE_SECONDS = 0.15;

    /**
     * Draws the whole picture of a {@code width x height} screen; {@code seconds} drives the traffic dots and
     * tells when a zoom came to rest ({@link #ZOOM_SETTLE_SECONDS}).
     */
    public void draw(SceneModel scene, ViewState state, ViewOptions options, Viewport vp, double width,
                     double height, double seconds, Painter p) {
        prepare(scene, options, state);
        double s = vp.scale();
        Rect view = vp.visibleWorld(width, height).grow(20 / s);
        EdgeLayerKey edgeKey = new EdgeLayerKey(scene, vp, width, height, cachedFilter, cachedHideIdle,
                nodeMatches != null);
        // while panning (the offset changes, the scale does not), the still picture is drawn with a margin
        // around the screen, so that a painter that keeps it can show it moved on the next frames; not while
        // zooming nor while still (a painter may then spare the cost of what hangs out)
        double room = p.planeMargin();
        double m = s == lastScale && (vp.offsetX() != lastOffsetX || vp.offsetY() != lastOffsetY) ? room : 0;
        if (s != lastScale && !Double.isNaN(lastScale)) {
            zoomMovedAt = seconds;
        }
        boolean zooming = !settleNext && !Double.isNaN(zoomMovedAt) && seconds - zoomMovedAt < ZOOM_SETTLE_SECONDS
                && seconds >= zoomMovedAt;
        settleNext = false;
        if (!zooming) {
            zoomMovedAt = Double.NaN;
        }
        lastScale = s;
        lastOffsetX = vp.offsetX();
        lastOffsetY = vp.offsetY();
        Object stillKey = new ForegroundKey(edgeKey.withoutViewport(), state, options.edgeLabel());
        lastFrameScaled = zooming && p.showStillScaled(stillKey, s, vp.offsetX(), vp.offsetY());
        if (lastFrameScaled) {
            scaledFrames++;
        } else if (p.beginStill(stillKey, s, vp.offsetX(), vp.offsetY(), m)) {
            Viewport marginVp = vp.panBy(m, m);
            int[] regions = p.stillRegions();
            if (regions == null) {
                drawStill(scene, state, options, marginVp, vp.visibleWorld(width, height).grow((20 + m) / s), m,
                        edgeKey, p);
            } else {
                for (int i = 0; i + 3 < regions.length; i += 4) {
                    Rect region = new Rect(marginVp.toWorldX(regions[i]), marginVp.toWorldY(regions[i + 1]),
                            regions[i + 2] / s, regions[i + 3] / s).grow(REGION_REACH / s);
                    p.beginStillRegion(regions[i], regions[i + 1], regions[i + 2], regions[i + 3]);
                    drawStill(scene, state, options, marginVp, region, m, edgeKey, p);
                    p.endStillRegion();
                    stillRegionDraws++;
                }
            }
            p.endStill();
        }
        boolean dots = options.trafficDots() && s >= LOD_DETAIL;
        // moving dots make every frame's top plane new, over the still picture
        if (p.beginPlane(Painter.Plane.DOTS, dots ? null : NO_DOTS) && dots) {
            drawDots(scene, vp, view, seconds, p);
        }
        p.endPlane();
    }

    /**
     * The background, edge and foreground planes, on a screen {@code m} larger on every side (drawn through
     * {@code marginVp}), of what meets {@code view}.
     */
    private void drawStill(SceneModel scene, ViewState state, ViewOptions options, Viewport marginVp, Rect view,
                           double m, EdgeLayerKey edgeKey, Painter p) {
        double s = marginVp.scale();
        double width = edgeKey.width();
        double height = edgeKey.height();
        // the background goes with the edges (a painter may draw both on one surface): drawn again with them
        Margined edgesDrawn = new Margined(edgeKey, m);
        if (p.beginPlane(Painter.Plane.BACKGROUND, edgesDrawn)) {
            p.clear(width + 2 * m, height + 2 * m, Styling.BACKGROUND);
            drawGroups(scene, marginVp, view, p);
            backgroundDraws++;
        }
        p.endPlane();
        if (p.beginPlane(Painter.Plane.EDGES, edgesDrawn)) {
            drawEdges(scene, marginVp, view, p);
            edgeLayerDraws++;
        }
        p.endPlane();
        if (p.beginPlane(Painter.Plane.FOREGROUND, new Margined(new ForegroundKey(edgeKey, state,
                options.edgeLabel()), m))) {
            drawGroupNames(scene, marginVp, view, p);
            highlightEdge(scene, state.hoveredEdge(), Styling.withAlpha(Styling.SELECTION, 0.5), marginVp, p);
            highlightEdge(scene, state.selectedEdge(), Styling.SELECTION, marginVp, p);
            drawNodes(scene, state, marginVp, view, p);
            if (options.edgeLabel() != EdgeLabel.NONE && s >= LOD_EDGE_LABELS) {
                drawEdgeLabels(scene, options.edgeLabel(), marginVp, view, p);
            }
            drawDrag(scene, state, marginVp, p);
            foregroundDraws++;
        }
        p.endPlane();
    }

    /**
     * Whether the last frame showed the still picture scaled (a zoom in motion) rather than drawn: the
     * caller should then draw again once the zoom rests ({@link #ZOOM_SETTLE_SECONDS} later).
     */
    public boolean lastFrameScaled() {
        return lastFrameScaled;
    }

    /**
     * How many times a part of the still picture (a strip that came into view when a pan left the margin)
     * was drawn, rather than all of it.
     */
    public long stillRegionDraws() {
        return stillRegionDraws;
    }

    /** How many frames showed the kept still picture scaled while a zoom was in motion. */
    public long scaledFrames() {
        return scaledFrames;
    }

    /**
     * Ends a zoom in motion: the next frame draws the still picture afresh at its scale, even when its scale
     * is new (for an export, say).
     */
    public void settle() {
        zoomMovedAt = Double.NaN;
        settleNext = true;
    }

    /** How many frames drew the background and group boxes (rather than the painter keeping them). */
    public long backgroundDraws() {
        return backgroundDraws;
    }

    /** How many frames drew the highlights, nodes and labels (rather than the painter keeping them). */
    public long foregroundDraws() {
        return foregroundDraws;
    }

    /**
     * How many frames drew the edges and arrow heads, rather than the painter keeping them (frames where
     * only traffic dots, hover or selection changed, or a pan within the margin, do not).
     */
    public long edgeLayerDraws() {
        return edgeLayerDraws;
    }

    /** Whether node number {@code i} passes the filter of the last drawn frame. */
    public boolean isNodeVisible(int i) {
        return nodeVisible != null && i < nodeVisible.length && nodeVisible[i];
    }

    /** Whether edge number {@code e} was drawable in the last drawn frame (filter, idle edges). */
    public boolean isEdgeVisible(int e) {
        return edgeVisible != null && e < edgeVisible.length && edgeVisible[e];
    }

    /** Recomputes the caches that depend on the scene, the filter and the find query, when these changed. */
    public void prepare(SceneModel scene, ViewOptions options, ViewState state) {
        TopologyGraph g = scene.graph();
        boolean newScene = scene != cachedScene;
        if (newScene) {
            cachedScene = scene;
            int[] counts = new int[HEALTH_COUNT * Styling.edgeWidthClasses()];
            widthClass = new int[g.edgeCount()];
            for (int e = 0; e < g.edgeCount(); e++) {
                EdgeMetrics m = g.edgeAt(e).metrics();
                widthClass[e] = Styling.edgeWidthClass(m.requestsPerSecond());
                counts[batchOf(m, widthClass[e])]++;
            }
            batches = new int[counts.length][];
            for (int b = 0; b < counts.length; b++) {
                batches[b] = new int[counts[b]];
            }
            Arrays.fill(counts, 0);
            for (int e = 0; e < g.edgeCount(); e++) {
                int b = batchOf(g.edgeAt(e).metrics(), widthClass[e]);
                batches[b][counts[b]++] = e;
            }
            splitWeightOf = new double[g.nodeCount()];
            Arrays.fill(splitWeightOf, Double.NaN);
            for (SplitBar bar : scene.splitBars()) {
                for (GraphEdge edge : g.outgoing(bar.serviceId())) {
                    int t = g.indexOf(edge.target());
                    if (edge.splitWeight() != null && g.parentIndex(t) == g.indexOf(bar.serviceId())) {
                        splitWeightOf[t] = edge.splitWeight();
                    }
                }
            }
        }
        if (newScene || !options.filter().equals(cachedFilter) || options.hideIdleEdges() != cachedHideIdle) {
            cachedFilter = options.filter();
            cachedHideIdle = options.hideIdleEdges();
            nodeVisible = new boolean[g.nodeCount()];
            for (int i = 0; i < nodeVisible.length; i++) {
                nodeVisible[i] = scene.isPlaced(i) && (cachedFilter.isAll() || cachedFilter.matches(g.nodeAt(i)));
            }
            edgeVisible = new boolean[g.edgeCount()];
            for (int e = 0; e < edgeVisible.length; e++) {
                edgeVisible[e] = scene.isLine(e) && nodeVisible[g.sourceIndex(e)] && nodeVisible[g.targetIndex(e)]
                        && !(cachedHideIdle && g.edgeAt(e).metrics().requestsPerSecond() == 0);
            }
        }
        if (newScene || !java.util.Objects.equals(state.findQuery(), cachedQuery)) {
            cachedQuery = state.findQuery();
            nodeMatches = null;
            if (cachedQuery != null) {
                nodeMatches = new boolean[g.nodeCount()];
                for (int i = 0; i < nodeMatches.length; i++) {
                    nodeMatches[i] = NodeFilter.matchesText(g.nodeAt(i), cachedQuery);
                }
            }
        }
    }

    private static int batchOf(EdgeMetrics m, int widthClass) {
        return Styling.edgeHealth(m).ordinal() * Styling.edgeWidthClasses() + widthClass;
    }

    private void drawGroups(SceneModel scene, Viewport vp, Rect view, Painter p) {
        double s = vp.scale();
        for (Map.Entry<String, Rect> e : scene.namespaceBoxes().entrySet()) {
            Rect r = e.getValue();
            if (!r.intersects(view)) {
                continue;
            }
            double x = vp.toScreenX(r.minX());
            double y = vp.toScreenY(r.minY());
            p.fillRoundRect(x, y, r.width() * s, r.height() * s, 12 * s, Styling.NAMESPACE_BOX_FILL);
            p.strokeRoundRect(x, y, r.width() * s, r.height() * s, 12 * s, Styling.NAMESPACE_BOX_BORDER, 1);
        }
        if (s < LOD_DETAIL) {
            return;
        }
        for (Rect r : scene.serviceBoxes().values()) {
            if (r.intersects(view)) {
                p.strokeRoundRect(vp.toScreenX(r.minX()), vp.toScreenY(r.minY()), r.width() * s, r.height() * s,
                        10 * s, Styling.SERVICE_BOX_BORDER, Math.max(0.5, s));
            }
        }
    }

    /** The namespaces' names, above their boxes' top-left corners (on the foreground, with the other text). */
    private static void drawGroupNames(SceneModel scene, Viewport vp, Rect view, Painter p) {
        double s = vp.scale();
        for (Map.Entry<String, Rect> e : scene.namespaceBoxes().entrySet()) {
            Rect r = e.getValue();
            if (r.intersects(view)) {
                double size = Math.max(11, Math.min(15, 13 * s));
                p.text(e.getKey(), vp.toScreenX(r.minX()) + 6, vp.toScreenY(r.minY()) - 4, size, true,
                        Styling.MUTED_TEXT, Painter.Align.LEFT);
            }
        }
    }

    private void drawEdges(SceneModel scene, Viewport vp, Rect view, Painter p) {
        double s = vp.scale();
        double[] l = scene.edgeLine;
        boolean dim = nodeMatches != null;
        for (int b = 0; b < batches.length; b++) {
            int[] edges = batches[b];
            if (edges.length == 0) {
                continue;
            }
            Health health = Health.values()[b / Styling.edgeWidthClasses()];
            int colour = Styling.healthColour(health);
            double width = s < LOD_BLOCKS ? 0.7 : Math.max(0.7, Styling.edgeWidth(b % Styling.edgeWidthClasses()) * s);
            p.beginLines(dim ? Styling.withAlpha(colour, 0.3) : colour, width, false);
            for (int e : edges) {
                if (edgeVisible[e] && segmentMeets(l, e, view)) {
                    p.line(vp.toScreenX(l[4 * e]), vp.toScreenY(l[4 * e + 1]), vp.toScreenX(l[4 * e + 2]),
                            vp.toScreenY(l[4 * e + 3]));
                }
            }
            p.endLines();
        }
        TopologyGraph g = scene.graph();
        if (s >= LOD_DETAIL) {
            for (int e = 0; e < g.edgeCount(); e++) {
                if (edgeVisible[e] && segmentMeets(l, e, view)) {
                    int colour = Styling.edgeColour(g.edgeAt(e).metrics());
                    arrow(vp, l, e, dim ? Styling.withAlpha(colour, 0.3) : colour, p);
                }
            }
        }
    }

    private void highlightEdge(SceneModel scene, String id, int colour, Viewport vp, Painter p) {
        int e = id == null ? -1 : scene.graph().edgeIndexOf(id);
        if (e < 0 || !edgeVisible[e]) {
            return;
        }
        double[] l = scene.edgeLine;
        p.beginLines(colour, Math.max(2, (Styling.edgeWidth(widthClass[e]) + 2) * vp.scale()), false);
        p.line(vp.toScreenX(l[4 * e]), vp.toScreenY(l[4 * e + 1]), vp.toScreenX(l[4 * e + 2]), vp.toScreenY(l[4 * e + 3]));
        p.endLines();
        arrow(vp, l, e, colour, p);
    }

    private void arrow(Viewport vp, double[] l, int e, int colour, Painter p) {
        double x2 = vp.toScreenX(l[4 * e + 2]);
        double y2 = vp.toScreenY(l[4 * e + 3]);
        double dx = l[4 * e + 2] - l[4 * e];
        double dy = l[4 * e + 3] - l[4 * e + 1];
        double len = Math.hypot(dx, dy);
        if (len == 0) {
            return;
        }
        double size = Math.max(4, (7 + Styling.edgeWidth(widthClass[e])) * vp.scale());
        double ux = dx / len;
        double uy = dy / len;
        xs[0] = x2;
        ys[0] = y2;
        xs[1] = x2 - ux * size - uy * size * 0.45;
        ys[1] = y2 - uy * size + ux * size * 0.45;
        xs[2] = x2 - ux * size + uy * size * 0.45;
        ys[2] = y2 - uy * size - ux * size * 0.45;
        p.fillPolygon(xs, ys, 3, colour);
    }

    private void drawDots(SceneModel scene, Viewport vp, Rect view, double seconds, Painter p) {
        TopologyGraph g = scene.graph();
        double[] l = scene.edgeLine;
        double r = Math.max(1.5, 2.6 * vp.scale());
        int drawn = 0;
        for (int e = 0; e < g.edgeCount() && drawn < MAX_DOTS; e++) {
            double rps = g.edgeAt(e).metrics().requestsPerSecond();
            if (rps == 0 || !edgeVisible[e] || !segmentMeets(l, e, view)) {
                continue;
            }
            double len = Math.hypot(l[4 * e + 2] - l[4 * e], l[4 * e + 3] - l[4 * e + 1]);
            if (len < 1) {
                continue;
            }
            int count = 1 + widthClass[e];
            double speed = 70 + 25 * widthClass[e]; // world units per second
            double phase = seconds * speed / len + (e * 0.618) % 1;
            int colour = Styling.edgeColour(g.edgeAt(e).metrics());
            for (int k = 0; k < count; k++) {
                double t = (phase + (double) k / count) % 1;
                double x = l[4 * e] + (l[4 * e + 2] - l[4 * e]) * t;
                double y = l[4 * e + 1] + (l[4 * e + 3] - l[4 * e + 1]) * t;
                if (view.contains(x, y)) {
                    p.fillOval(vp.toScreenX(x), vp.toScreenY(y), r, colour);
                    drawn++;
                }
            }
        }
    }

    private void drawNodes(SceneModel scene, ViewState state, Viewport vp, Rect view, Painter p) {
        TopologyGraph g = scene.graph();
        double s = vp.scale();
        double[] b = scene.nodeBox;
        int selected = state.selectedNode() == null ? -1 : g.indexOf(state.selectedNode());
        int hovered = state.hoveredNode() == null ? -1 : g.indexOf(state.hoveredNode());
        for (int i = 0; i < g.nodeCount(); i++) {
            if (!nodeVisible[i]) {
                continue;
            }
            double wx = b[4 * i];
            double wy = b[4 * i + 1];
            double ww = b[4 * i + 2];
            double wh = b[4 * i + 3];
            if (wx > view.maxX() || wy > view.maxY() || wx + ww < view.minX() || wy + wh < view.minY()) {
                continue;
            }
            GraphNode node = g.nodeAt(i);
            boolean dimmed = nodeMatches != null && !nodeMatches[i];
            double x = vp.toScreenX(wx);
            double y = vp.toScreenY(wy);
            double w = ww * s;
            double h = wh * s;
            int health = Styling.healthColour(node.health());
            if (s < LOD_BLOCKS) {
                p.fillRect(x, y, w, h, dimmed ? Styling.withAlpha(health, 0.25) : health);
            } else {
                drawNodeBox(node, x, y, w, h, s, health, dimmed, p);
                if (s >= LOD_DETAIL && !dimmed) {
                    drawBadges(scene, node, x, y, w, h, vp, state, p);
                }
                // from the detail zoom on, labels stay at least 7 px (cut to fit their box)
                double size = Math.min(20, Math.max(12 * s, s >= LOD_DETAIL ? 7 : 0));
                if (size >= 6) {
                    drawNodeLabel(node, i, x, y, w, h, s, size, dimmed, p);
                }
            }
            if (nodeMatches != null && nodeMatches[i]) {
                p.strokeRoundRect(x - 4, y - 4, w + 8, h + 8, 10 * s + 8, Styling.FIND_MATCH, 3);
            }
            if (i == hovered) {
                p.strokeRoundRect(x - 2, y - 2, w + 4, h + 4, 8 * s + 4, Styling.withAlpha(Styling.SELECTION, 0.5), 2);
            }
            if (i == selected) {
                p.strokeRoundRect(x - 3, y - 3, w + 6, h + 6, 8 * s + 6, Styling.SELECTION, 3);
            }
        }
    }

    private static void drawNodeBox(GraphNode node, double x, double y, double w, double h, double s, int health,
                                    boolean dimmed, Painter p) {
        double arc = switch (node.kind()) {
            case SERVICE -> 10;
            case WORKLOAD -> 6;
            case EXTERNAL -> 30;
            case NAMESPACE -> 4;
        } * s;
        int fill = switch (node.kind()) {
            case EXTERNAL -> Styling.EXTERNAL_FILL;
            case NAMESPACE -> Styling.NAMESPACE_NODE_FILL;
            default -> Styling.NODE_FILL;
        };
        double alpha = dimmed ? 0.3 : 1;
        p.fillRoundRect(x, y, w, h, arc, Styling.withAlpha(fill, alpha));
        // the health stripe along the left side
        double stripe = Math.max(2, 7 * s);
        double inset = node.kind() == NodeKind.EXTERNAL ? h / 4 : Math.min(arc / 2, 3 * s);
        p.fillRect(x + inset, y + 2 * s, stripe, h - 4 * s, Styling.withAlpha(health, alpha));
        p.strokeRoundRect(x, y, w, h, arc, Styling.withAlpha(health, alpha), Math.max(1, 1.5 * s));
        if (node.kind() == NodeKind.NAMESPACE) {
            p.strokeRoundRect(x + 3 * s, y + 3 * s, w - 6 * s, h - 6 * s, arc, Styling.withAlpha(health, alpha),
                    Math.max(0.5, s));
        }
    }

    private void drawNodeLabel(GraphNode node, int i, double x, double y, double w, double h, double s, double size,
                               boolean dimmed, Painter p) {
        String label = node.label();
        if (!Double.isNaN(splitWeightOf[i])) {
            label = label + "  " + String.format(Locale.ROOT, "%.0f%%", splitWeightOf[i]);
        }
        double left = x + (node.kind() == NodeKind.EXTERNAL ? 20 : 14) * s;
        double room = x + w - left - (node.mtls() == MtlsState.UNKNOWN ? 6 : 24) * s;
        int colour = dimmed ? Styling.withAlpha(Styling.TEXT, 0.35) : Styling.TEXT;
        int newline = label.indexOf('\n');
        if (newline >= 0) {
            // a second line (a collapsed namespace's counts) in smaller, plain type under the first
            double small = size * 0.85;
            double baseline = y + h / 2 - size * 0.2;
            p.text(fit(label.substring(0, newline), room, size), left, baseline, size, true, colour, Painter.Align.LEFT);
            p.text(fit(label.substring(newline + 1).replace('\n', ' '), room, small), left, baseline + size * 1.15,
                    small, false, colour, Painter.Align.LEFT);
            return;
        }
        boolean hasBar = node.kind() == NodeKind.SERVICE && cachedScene.splitBarOf(node.id()) != null;
        double baseline = y + h / 2 + size * 0.35 - (hasBar ? 3 * s : 0);
        p.text(fit(label, room, size), left, baseline, size, node.kind() != NodeKind.WORKLOAD, colour,
                Painter.Align.LEFT);
    }

    /** {@code label} cut to about {@code room} pixels at {@code size} (with an ellipsis when cut). */
    private static String fit(String label, double room, double size) {
        int maxChars = (int) (room / (size * 0.56));
        if (label.length() > maxChars) {
            return maxChars <= 1 ? "" : label.substring(0, maxChars - 1) + "…";
        }
        return label;
    }

    private void drawBadges(SceneModel scene, GraphNode node, double x, double y, double w, double h, Viewport vp,
                            ViewState state, Painter p) {
        double s = vp.scale();
        double cx = x + w - 11 * s;
        double cy = y + h / 2 - (node.kind() == NodeKind.SERVICE && scene.splitBarOf(node.id()) != null ? 3 * s : 0);
        mtlsBadge(node.mtls(), cx, cy, s, p);
        int k = 0;
        for (Badge badge : node.badges()) {
            double bx = x + (12 + 17 * k) * s;
            double by = y;
            p.fillOval(bx, by, 7.5 * s, Styling.badgeColour(badge));
            if (s >= 0.6) {
                p.text(Styling.badgeLetter(badge), bx, by + 3.6 * s, 10 * s, true, 0xFFFFFFFF, Painter.Align.CENTER);
            }
            k++;
        }
        if (node.kind() == NodeKind.SERVICE) {
            SplitBar bar = scene.splitBarOf(node.id());
            if (bar != null) {
                double[] weights = node.id().equals(state.draggedSplit()) ? bar.weightsWith(state.draggedWeights())
                        : bar.weights();
                drawSplitBar(bar, weights, vp, p);
            }
        }
    }

    /** The lock (mTLS), open lock (mixed) or warning triangle (plaintext) centred at (cx, cy). */
    static void mtlsBadge(MtlsState state, double cx, double cy, double s, Painter p) {
        int colour = Styling.mtlsColour(state);
        if (colour == 0) {
            return;
        }
        if (state == MtlsState.PLAINTEXT) {
            double[] tx = {cx, cx + 7 * s, cx - 7 * s};
            double[] ty = {cy - 7 * s, cy + 6 * s, cy + 6 * s};
            p.fillPolygon(tx, ty, 3, colour);
            p.text("!", cx, cy + 4.5 * s, 9 * s, true, 0xFFFFFFFF, Painter.Align.CENTER);
            return;
        }
        // body
        p.fillRoundRect(cx - 6 * s, cy - 1 * s, 12 * s, 9 * s, 2 * s, colour);
        // shackle: closed over the body, or swung open to the right
        double shackleX = state == MtlsState.MTLS ? cx : cx + 5 * s;
        p.strokeArc(shackleX, cy - 2 * s, 4 * s, 0, 180, colour, Math.max(1, 1.8 * s));
        p.beginLines(colour, Math.max(1, 1.8 * s), false);
        p.line(shackleX - 4 * s, cy - 2 * s, shackleX - 4 * s, cy - 0.5 * s);
        p.line(shackleX + 4 * s, cy - 2 * s, shackleX + 4 * s, cy + (state == MtlsState.MTLS ? -0.5 : -2) * s);
        p.endLines();
    }

    private static void drawSplitBar(SplitBar bar, double[] weights, Viewport vp, Painter p) {
        Rect r = bar.bar();
        double s = vp.scale();
        double y0 = vp.toScreenY(r.minY());
        for (int i = 0; i < weights.length; i++) {
            double a = bar.segmentStart(i, weights);
            double b = bar.segmentStart(i + 1, weights);
            p.fillRect(vp.toScreenX(a), y0, (b - a) * s, r.height() * s, Styling.splitColour(i));
        }
        double hw = SplitBar.HANDLE_HALF_WIDTH * 0.75 * s;
        double hh = SplitBar.HANDLE_HEIGHT * 0.7 * s;
        double cy = y0 + r.height() * s / 2;
        for (int h = 0; h < weights.length - 1; h++) {
            double hx = vp.toScreenX(bar.segmentStart(h + 1, weights));
            p.fillRoundRect(hx - hw, cy - hh / 2, 2 * hw, hh, hw, 0xFF3C3F42);
        }
    }

    private void drawEdgeLabels(SceneModel scene, EdgeLabel kind, Viewport vp, Rect view, Painter p) {
        TopologyGraph g = scene.graph();
        double[] l = scene.edgeLine;
        double size = Math.min(13, 10.5 * Math.sqrt(vp.scale()));
        for (int e = 0; e < g.edgeCount(); e++) {
            if (!edgeVisible[e]) {
                continue;
            }
            double mx = (l[4 * e] + l[4 * e + 2]) / 2;
            double my = (l[4 * e + 1] + l[4 * e + 3]) / 2;
            if (!view.contains(mx, my)) {
                continue;
            }
            String text = kind.format(g.edgeAt(e).metrics());
            if (text == null) {
                continue;
            }
            double x = vp.toScreenX(mx);
            double y = vp.toScreenY(my);
            double tw = p.textWidth(text, size);
            p.fillRoundRect(x - tw / 2 - 3, y - size * 0.8, tw + 6, size * 1.25, 4, Styling.LABEL_BACKGROUND);
            p.text(text, x, y + size * 0.3, size, false, Styling.MUTED_TEXT, Painter.Align.CENTER);
        }
    }

    private void drawDrag(SceneModel scene, ViewState state, Viewport vp, Painter p) {
        if (state.draggedNode() == null) {
            return;
        }
        int i = scene.graph().indexOf(state.draggedNode());
        if (i < 0 || !scene.isPlaced(i)) {
            return;
        }
        double s = vp.scale();
        double[] b = scene.nodeBox;
        double w = b[4 * i + 2] * s;
        double h = b[4 * i + 3] * s;
        double x = vp.toScreenX(state.dragX());
        double y = vp.toScreenY(state.dragY());
        p.beginLines(Styling.SELECTION, 1.5, true);
        p.line(vp.toScreenX(b[4 * i] + b[4 * i + 2] / 2), vp.toScreenY(b[4 * i + 1] + b[4 * i + 3] / 2), x, y);
        p.endLines();
        p.fillRoundRect(x - w / 2, y - h / 2, w, h, 8 * s, Styling.withAlpha(Styling.SELECTION, 0.25));
        p.strokeRoundRect(x - w / 2, y - h / 2, w, h, 8 * s, Styling.SELECTION, 1.5);
    }

    private static boolean segmentMeets(double[] l, int e, Rect view) {
        double x1 = l[4 * e];
        double y1 = l[4 * e + 1];
        double x2 = l[4 * e + 2];
        double y2 = l[4 * e + 3];
        return Math.max(x1, x2) >= view.minX() && Math.min(x1, x2) <= view.maxX()
                && Math.max(y1, y2) >= view.minY() && Math.min(y1, y2) <= view.maxY();
    }
}
