package dev.meshdeck.viz.render;

import dev.meshdeck.viz.io.TopologyJson;
import dev.meshdeck.viz.layout.LayeredLayout;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.LayoutAlgorithm;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.model.GraphEdge;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.render.internal.BackgroundThread;
import dev.meshdeck.viz.view.ContextMenuRequest;
import dev.meshdeck.viz.view.HitTester;
import dev.meshdeck.viz.view.NodeDroppedOnNode;
import dev.meshdeck.viz.view.NodeFilter;
import dev.meshdeck.viz.view.SceneDrawer;
import dev.meshdeck.viz.view.SceneModel;
import dev.meshdeck.viz.view.SplitWeightsDragged;
import dev.meshdeck.viz.view.Tooltips;
import dev.meshdeck.viz.view.ViewOptions;
import dev.meshdeck.viz.view.ViewState;
import dev.meshdeck.viz.view.Viewport;
import javafx.animation.AnimationTimer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.input.ZoomEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The topology graph as a JavaFX control: a {@link Canvas} drawn by {@link TopologyCanvasRenderer}, a
 * minimap, a tooltip and a find bar. It knows nothing of the controller: feed it graph snapshots with
 * {@link #setGraph} and listen to its events.
 *
 * <p>Mouse: wheel zooms at the pointer, dragging the background pans, dragging a node moves (and pins)
 * it or, dropped on another node, fires {@link #setOnNodeDroppedOnNode}; dragging a handle of a split bar
 * fires {@link #setOnSplitWeightsDragged}. Keys: arrows pan, {@code +}/{@code -} zoom, {@code 0} or
 * {@code F} fit, {@code Ctrl+F} find (Enter: next match, Escape: close).
 *
 * <p>Drawing happens on an {@link AnimationTimer} only while something changed, traffic dots move or a
 * zoom has not yet come to rest (its frames show the last picture scaled; the one after it draws afresh).
 */
public final class TopologyView extends Region {

    /** Nodes from which the minimap is shown (when enabled in the options). */
    public static final int MINIMAP_MIN_NODES = 40;
    private static final double PAN_STEP = 60;
    private static final double ZOOM_STEP = 1.25;
    private static final double DRAG_THRESHOLD = 4;

    private final Canvas canvas = new Canvas();
    /** How long an export waits for the still picture being drawn in the background. */
    private static final Duration EXPORT_WAIT = Duration.ofSeconds(30);

    private final TopologyCanvasRenderer renderer;
    /** The thread the still picture's raster is drawn on, when this view owns it (stopped when it is removed). */
    private final BackgroundThread ownThread;
    private final Minimap minimap = new Minimap(this::centreOn);
    private final Label tooltip = new Label();
    private final TextField findField = new TextField();
    private final HBox findBar = new HBox(6);
    private final NodeSizing sizing;
    private LayoutAlgorithm layoutAlgorithm = new LayeredLayout();

    private SceneModel scene;
    private Viewport viewport = Viewport.IDENTITY;
    private ViewState state = ViewState.NONE;
    private ViewOptions options = ViewOptions.DEFAULT;
    private boolean fitPending = true;
    private boolean dirty = true;
    private boolean timerRunning;
    private long startNanos = -1;
    private double seconds;

    private Consumer<GraphNode> onNodeSelected;
    private Consumer<GraphEdge> onEdgeSelected;
    private Consumer<GraphNode> onNodeDoubleClicked;
    private Consumer<ContextMenuRequest> onContextMenuRequested;
    private Consumer<NodeDroppedOnNode> onNodeDroppedOnNode;
    private Consumer<SplitWeightsDragged> onSplitWeightsDragged;

    // the gesture in progress
    private double pressX;
    private double pressY;
    private double lastX;
    private double lastY;
    private boolean panning;
    private String pressedNode;
    private boolean draggingNode;
    private HitTester.HandleHit handle;
    private List<Integer> findMatches = List.of();
    private int findCursor = -1;

    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (startNanos < 0) {
                startNanos = now;
            }
            seconds = (now - startNanos) / 1e9;
            // a zoom in motion shows a scaled picture: draw again until it rests and the picture is drawn afresh
            // and while the still picture is drawn in the background: the pulse after it is ready shows it
            boolean animate = dotsMoving() || renderer.drawer().lastFrameScaled() || renderer.stillPending();
            if (dirty || animate) {
                drawFrame();
            }
            if (!animate && !dirty) {
                stop();
                timerRunning = false;
            }
        }
    };

    public TopologyView() {
        this(TopologyGraph.EMPTY, NodeSizing.DEFAULT);
    }

    /**
     * A view of {@code graph} that draws the raster of its still picture (the edges: the bulk of a zoom's end
     * or a new snapshot) on a background thread of its own, stopped when the view is removed from its scene
     * or {@link #dispose disposed} (and started again when needed).
     */
    public TopologyView(TopologyGraph graph, NodeSizing sizing) {
        this(graph, sizing, null);
    }

    /**
     * A view that draws the raster of its still picture on {@code stillExecutor} (one task at a time, in the
     * order given; {@code Runnable::run} draws it on the JavaFX thread, so that every drawing call leaves the
     * picture finished: for tests), which it does not stop; {@code null} for a background thread of its own.
     */
    public TopologyView(TopologyGraph graph, NodeSizing sizing, Executor stillExecutor) {
        this.sizing = Objects.requireNonNull(sizing, "sizing");
        this.ownThread = stillExecutor == null ? new BackgroundThread("meshdeck-topology-still") : null;
        this.renderer = new TopologyCanvasRenderer(canvas, stillExecutor == null ? ownThread : stillExecutor);
        this.scene = new SceneModel(graph, layoutAlgorithm.layout(graph, Layout.EMPTY), sizing);
        getStyleClass().add("topology-view");
        setFocusTraversable(true);
        setMinSize(0, 0);
        setPrefSize(900, 600);
        tooltip.setVisible(false);
        tooltip.setManaged(false);
        tooltip.setMouseTransparent(true);
        tooltip.setStyle("-fx-background-color: rgba(33,36,39,0.92); -fx-text-fill: white; -fx-padding: 6 8;"
                + " -fx-background-radius: 4; -fx-font-size: 12px;");
        findField.setPromptText("find a node by name");
        findField.setPrefColumnCount(22);
        Label findLabel = new Label("Find:");
        findBar.getChildren().addAll(findLabel, findField);
        findBar.setAlignment(Pos.CENTER_LEFT);
        findBar.setPadding(new Insets(4, 8, 4, 8));
        findBar.setStyle("-fx-background-color: rgba(255,255,255,0.95); -fx-border-color: #b8bbbe;");
        findBar.setVisible(false);
        findBar.setManaged(false);
        minimap.setManaged(false);
        getChildren().addAll(renderer.view(), minimap, findBar, tooltip);
        wireInput();
        sceneProperty().addListener((obs, old, now) -> {
            if (now == null) {
                dispose();
            } else {
                requestRender();
            }
        });
        requestRender();
    }

    /**
     * Stops drawing in the background (the view's own thread, and a still picture being drawn there); the
     * view draws again, and starts its thread again, when it is shown and something changes.
     */
    public void dispose() {
        renderer.discardPending();
        if (ownThread != null) {
            ownThread.stop();
        }
        timer.stop();
        timerRunning = false;
        dirty = true;
    }

    // ---- feeding it ----

    /**
     * Shows {@code graph}. With the same structure as the graph shown (a metrics or status update) the
     * layout stays as it is; otherwise the layout algorithm places the new nodes, keeping every node that
     * was already shown where it was.
     */
    public void setGraph(TopologyGraph graph) {
        Objects.requireNonNull(graph, "graph");
        if (graph.sameStructureAs(scene.graph())) {
            setScene(scene.withGraph(graph));
        } else {
            setGraph(graph, scene.layout().restrictTo(graph));
        }
    }

    /** Shows {@code graph} with the positions of {@code layout}; nodes it has no position for are placed. */
    public void setGraph(TopologyGraph graph, Layout layout) {
        Layout complete = layoutAlgorithm.layout(graph, layout.restrictTo(graph));
        boolean wasEmpty = scene.graph().isEmpty();
        setScene(new SceneModel(graph, complete, sizing));
        if (wasEmpty) {
            fitPending = true;
        }
    }

    public TopologyGraph getGraph() {
        return scene.graph();
    }

    /** The layout shown, with the nodes the user dragged pinned. */
    public Layout getLayout() {
        return scene.layout();
    }

    public SceneModel getSceneModel() {
        return scene;
    }

    public void setLayoutAlgorithm(LayoutAlgorithm algorithm) {
        this.layoutAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    /** Lays the graph out afresh with the current algorithm, keeping the nodes the user pinned. */
    public void relayout() {
        setScene(new SceneModel(scene.graph(), layoutAlgorithm.layout(scene.graph(), scene.layout().retainPinned()),
                sizing));
    }

    public ViewOptions getOptions() {
        return options;
    }

    public void setOptions(ViewOptions newOptions) {
        options = Objects.requireNonNull(newOptions, "options");
        requestRender();
    }

    public void setFilter(NodeFilter filter) {
        setOptions(options.withFilter(filter));
    }

    public Viewport getViewport() {
        return viewport;
    }

    public void setViewport(Viewport v) {
        viewport = Objects.requireNonNull(v, "viewport");
        fitPending = false;
        requestRender();
    }

    public ViewState getViewState() {
        return state;
    }

    /** Zooms so that the whole graph shows. */
    public void fitToView() {
        if (getWidth() <= 0 || getHeight() <= 0) {
            fitPending = true;
            return;
        }
        setViewport(Viewport.fit(scene.bounds(), getWidth(), getHeight(), 30));
    }

    /** Zooms by {@code factor} around the centre of the view. */
    public void zoomBy(double factor) {
        setViewport(viewport.zoomAt(factor, getWidth() / 2, getHeight() / 2));
    }

    /** Selects node {@code id} (or nothing for {@code null}) as a click would, and tells the listener. */
    public void selectNode(String id) {
        GraphNode node = id == null ? null : scene.graph().findNode(id).orElse(null);
        state = state.withSelection(node == null ? null : node.id(), null);
        requestRender();
        fire(onNodeSelected, node);
    }

    /** Highlights the nodes whose name contains {@code query} and centres the view on the first. */
    public void find(String query) {
        state = state.withFindQuery(query);
        findMatches = new ArrayList<>();
        if (state.findQuery() != null) {
            for (int i = 0; i < scene.graph().nodeCount(); i++) {
                GraphNode n = scene.graph().nodeAt(i);
                if (scene.isPlaced(i) && NodeFilter.matchesText(n, state.findQuery())) {
                    findMatches.add(i);
                }
            }
        }
        findCursor = -1;
        nextMatch();
        requestRender();
    }

    /** The nodes the last {@link #find} matched, by index. */
    public List<Integer> findMatches() {
        return List.copyOf(findMatches);
    }

    // ---- listeners ----

    /** Called with the node clicked, or {@code null} when a click selects nothing. */
    public void setOnNodeSelected(Consumer<GraphNode> listener) {
        onNodeSelected = listener;
    }

    public void setOnEdgeSelected(Consumer<GraphEdge> listener) {
        onEdgeSelected = listener;
    }

    public void setOnNodeDoubleClicked(Consumer<GraphNode> listener) {
        onNodeDoubleClicked = listener;
    }

    public void setOnGraphContextMenuRequested(Consumer<ContextMenuRequest> listener) {
        onContextMenuRequested = listener;
    }

    public void setOnNodeDroppedOnNode(Consumer<NodeDroppedOnNode> listener) {
        onNodeDroppedOnNode = listener;
    }

    public void setOnSplitWeightsDragged(Consumer<SplitWeightsDragged> listener) {
        onSplitWeightsDragged = listener;
    }

    // ---- export ----

    /**
     * Draws the current picture now, the still picture finished (normally the animation timer does it on the
     * next pulse): when it is drawn in the background, the JavaFX thread waits for it (up to 30 s), so that a
     * snapshot taken next shows it (for screenshots and exports).
     */
    public void renderNow() {
        drawFrame();
        if (renderer.stillPending()) {
            renderer.awaitStill(EXPORT_WAIT);
            drawFrame();
        }
    }

    /** Draws one frame; the still picture may still be drawn in the background afterwards. */
    private void drawFrame() {
        if (fitPending && getWidth() > 0 && getHeight() > 0) {
            viewport = Viewport.fit(scene.bounds(), getWidth(), getHeight(), 30);
            fitPending = false;
        }
        renderer.render(scene, state, options, viewport, seconds);
        boolean showMinimap = options.minimap() && scene.graph().nodeCount() >= MINIMAP_MIN_NODES;
        minimap.setVisible(showMinimap);
        if (showMinimap) {
            minimap.update(scene, viewport, canvas.getWidth(), canvas.getHeight());
        }
        dirty = false;
    }

    /** Whether the view's own background thread is running (tests). */
    boolean backgroundThreadRunning() {
        return ownThread != null && ownThread.isRunning();
    }

    /** Whether the still picture is being drawn in the background (tests). */
    boolean stillPending() {
        return renderer.stillPending();
    }

    /** The drawer of the graph canvas, for what it drew last (tests). */
    SceneDrawer drawer() {
        return renderer.drawer();
    }

    /**
     * The current view (the graph canvas, without minimap or tooltip) as an image: the still picture at rest
     * (waiting for it when it is being drawn in the background).
     */
    public WritableImage snapshotImage() {
        renderer.drawer().settle();
        // the rested picture, not the one shown until it is ready
        renderNow();
        return renderer.snapshot();
    }

    /** Writes the current view as a PNG file. */
    public void exportPng(Path file) throws IOException {
        PngWriter.write(snapshotImage(), file);
    }

    /** The current view as an SVG document: the same picture as the canvas, as vectors. */
    public String toSvg() {
        return renderer.svg(scene, state, options, viewport, seconds);
    }

    public void exportSvg(Path file) throws IOException {
        Files.writeString(file, toSvg(), StandardCharsets.UTF_8);
    }

    /** Writes the graph shown with its layout (positions and pins) as {@code meshdeck-topology/v1} JSON. */
    public void exportJson(Path file) throws IOException {
        TopologyJson.write(file, scene.graph(), scene.layout());
    }

    // ---- internals ----

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            dirty = true;
            requestRender();
        }
        minimap.resizeRelocate(w - Minimap.WIDTH - 10, h - Minimap.HEIGHT - 10, Minimap.WIDTH, Minimap.HEIGHT);
        findBar.autosize();
        findBar.relocate(10, 10);
        tooltip.autosize();
    }

    private void setScene(SceneModel newScene) {
        scene = newScene;
        if (state.selectedNode() != null && !newScene.graph().containsNode(state.selectedNode())) {
            state = state.withSelection(null, null);
        }
        requestRender();
    }

    private void requestRender() {
        dirty = true;
        if (!timerRunning) {
            timerRunning = true;
            timer.start();
        }
    }

    private boolean dotsMoving() {
        return options.trafficDots() && viewport.scale() >= SceneDrawer.LOD_DETAIL && !scene.graph().isEmpty();
    }

    private void centreOn(double worldX, double worldY) {
        setViewport(viewport.centeredOn(worldX, worldY, getWidth(), getHeight()));
    }

    private int nodeUnder(double sx, double sy) {
        SceneDrawer d = renderer.drawer();
        return scene.hitTester().nodeAt(viewport.toWorldX(sx), viewport.toWorldY(sy), d::isNodeVisible);
    }

    private int edgeUnder(double sx, double sy) {
        SceneDrawer d = renderer.drawer();
        double tolerance = Math.max(4, 5 / viewport.scale());
        return scene.hitTester().edgeNear(viewport.toWorldX(sx), viewport.toWorldY(sy), tolerance, d::isEdgeVisible);
    }

    private void wireInput() {
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
        addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1, -1, 0, 0));
        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0) {
                setViewport(viewport.zoomAt(Math.pow(1.0025, e.getDeltaY()), e.getX(), e.getY()));
            }
            e.consume();
        });
        addEventHandler(ZoomEvent.ZOOM, e -> {
            setViewport(viewport.zoomAt(e.getZoomFactor(), e.getX(), e.getY()));
            e.consume();
        });
        addEventHandler(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            int n = nodeUnder(e.getX(), e.getY());
            int edge = n >= 0 ? -1 : edgeUnder(e.getX(), e.getY());
            fire(onContextMenuRequested, new ContextMenuRequest(n >= 0 ? scene.graph().nodeAt(n) : null,
                    edge >= 0 ? scene.graph().edgeAt(edge) : null, e.getScreenX(), e.getScreenY()));
            e.consume();
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::key);
        findField.textProperty().addListener((obs, old, text) -> find(text));
        findField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                nextMatch();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                closeFind();
                e.consume();
            }
        });
    }

    private void pressed(MouseEvent e) {
        if (e.getTarget() != canvas) {
            return;
        }
        requestFocus();
        pressX = lastX = e.getX();
        pressY = lastY = e.getY();
        panning = false;
        pressedNode = null;
        draggingNode = false;
        handle = null;
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        double wx = viewport.toWorldX(e.getX());
        double wy = viewport.toWorldY(e.getY());
        if (viewport.scale() >= SceneDrawer.LOD_DETAIL) {
            handle = scene.hitTester().handleAt(wx, wy);
        }
        if (handle == null) {
            int n = nodeUnder(e.getX(), e.getY());
            if (n >= 0) {
                pressedNode = scene.graph().nodeAt(n).id();
            } else {
                panning = true;
            }
        }
    }

    private void dragged(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        double wx = viewport.toWorldX(e.getX());
        double wy = viewport.toWorldY(e.getY());
        if (handle != null) {
            Map<String, Double> weights = handle.bar().weightsWithHandleAt(handle.handle(), wx);
            state = state.withSplitDrag(handle.bar().serviceId(), weights);
            requestRender();
            fire(onSplitWeightsDragged, new SplitWeightsDragged(handle.bar().serviceId(), weights, false));
        } else if (pressedNode != null) {
            if (draggingNode || Math.hypot(e.getX() - pressX, e.getY() - pressY) > DRAG_THRESHOLD) {
                draggingNode = true;
                state = state.withNodeDrag(pressedNode, wx, wy);
                requestRender();
            }
        } else if (panning) {
            setViewport(viewport.panBy(e.getX() - lastX, e.getY() - lastY));
        }
        lastX = e.getX();
        lastY = e.getY();
        tooltip.setVisible(false);
        e.consume();
    }

    private void released(MouseEvent e) {
        if (handle != null) {
            Map<String, Double> weights = state.draggedWeights();
            String service = handle.bar().serviceId();
            handle = null;
            state = state.withSplitDrag(null, Map.of());
            requestRender();
            if (!weights.isEmpty()) {
                fire(onSplitWeightsDragged, new SplitWeightsDragged(service, weights, true));
            }
        } else if (draggingNode) {
            String source = pressedNode;
            double wx = viewport.toWorldX(e.getX());
            double wy = viewport.toWorldY(e.getY());
            int target = scene.hitTester().nodeAt(wx, wy,
                    i -> renderer.drawer().isNodeVisible(i) && !scene.graph().nodeAt(i).id().equals(source));
            state = state.withNodeDrag(null, 0, 0);
            if (target >= 0) {
                fire(onNodeDroppedOnNode, new NodeDroppedOnNode(scene.graph().node(source), scene.graph().nodeAt(target)));
            } else {
                moveNode(source, wx, wy);
            }
            requestRender();
        }
        panning = false;
        pressedNode = null;
        draggingNode = false;
    }

    /** Moves a node (and, for a service, its versions with it) and pins it where it was dropped. */
    private void moveNode(String id, double wx, double wy) {
        Layout layout = scene.layout();
        Point old = layout.position(id);
        double dx = wx - old.x();
        double dy = wy - old.y();
        layout = layout.pin(id, new Point(wx, wy));
        for (GraphNode w : scene.graph().workloadsOf(id)) {
            Point p = layout.find(w.id()).orElse(null);
            if (p != null) {
                layout = layout.pin(w.id(), p.plus(dx, dy));
            }
        }
        setScene(new SceneModel(scene.graph(), layout, sizing));
    }

    private void clicked(MouseEvent e) {
        if (e.getTarget() != canvas || e.getButton() != MouseButton.PRIMARY || !e.isStillSincePress()) {
            return;
        }
        int n = nodeUnder(e.getX(), e.getY());
        if (e.getClickCount() == 2) {
            if (n >= 0) {
                fire(onNodeDoubleClicked, scene.graph().nodeAt(n));
            }
            return;
        }
        if (n >= 0) {
            selectNode(scene.graph().nodeAt(n).id());
            return;
        }
        int edge = edgeUnder(e.getX(), e.getY());
        if (edge >= 0) {
            state = state.withSelection(null, scene.graph().edgeAt(edge).id());
            requestRender();
            fire(onEdgeSelected, scene.graph().edgeAt(edge));
        } else {
            selectNode(null);
        }
    }

    private void moved(MouseEvent e) {
        int n = nodeUnder(e.getX(), e.getY());
        int edge = n >= 0 ? -1 : edgeUnder(e.getX(), e.getY());
        hover(n, edge, e.getX(), e.getY());
    }

    private void hover(int n, int edge, double x, double y) {
        String nodeId = n >= 0 ? scene.graph().nodeAt(n).id() : null;
        String edgeId = edge >= 0 ? scene.graph().edgeAt(edge).id() : null;
        if (!Objects.equals(nodeId, state.hoveredNode()) || !Objects.equals(edgeId, state.hoveredEdge())) {
            state = state.withHover(nodeId, edgeId);
            requestRender();
        }
        if (nodeId == null && edgeId == null) {
            tooltip.setVisible(false);
            return;
        }
        tooltip.setText(nodeId != null ? Tooltips.of(scene.graph(), scene.graph().nodeAt(n))
                : Tooltips.of(scene.graph().edgeAt(edge)));
        tooltip.autosize();
        double tx = Math.min(x + 14, getWidth() - tooltip.getWidth() - 4);
        double ty = Math.min(y + 16, getHeight() - tooltip.getHeight() - 4);
        tooltip.relocate(Math.max(0, tx), Math.max(0, ty));
        tooltip.setVisible(true);
    }

    private void key(KeyEvent e) {
        if (e.getTarget() == findField) {
            return;
        }
        boolean handled = true;
        switch (e.getCode()) {
            case LEFT -> setViewport(viewport.panBy(PAN_STEP, 0));
            case RIGHT -> setViewport(viewport.panBy(-PAN_STEP, 0));
            case UP -> setViewport(viewport.panBy(0, PAN_STEP));
            case DOWN -> setViewport(viewport.panBy(0, -PAN_STEP));
            case PLUS, ADD, EQUALS -> zoomBy(ZOOM_STEP);
            case MINUS, SUBTRACT -> zoomBy(1 / ZOOM_STEP);
            case DIGIT0, NUMPAD0 -> fitToView();
            case F -> {
                if (e.isShortcutDown()) {
                    openFind();
                } else {
                    fitToView();
                }
            }
            case ESCAPE -> {
                closeFind();
                selectNode(null);
            }
            default -> handled = false;
        }
        if (handled) {
            e.consume();
        }
    }

    private void openFind() {
        findBar.setVisible(true);
        findField.requestFocus();
        findField.selectAll();
    }

    private void closeFind() {
        findBar.setVisible(false);
        findField.clear();
        find(null);
        requestFocus();
    }

    private void nextMatch() {
        if (findMatches.isEmpty()) {
            return;
        }
        findCursor = (findCursor + 1) % findMatches.size();
        int i = findMatches.get(findCursor);
        var box = scene.nodeBox(i);
        if (getWidth() > 0) {
            Viewport v = viewport.scale() < 0.6 ? new Viewport(0.8, viewport.offsetX(), viewport.offsetY()) : viewport;
            setViewport(v.centeredOn(box.center().x(), box.center().y(), getWidth(), getHeight()));
        }
    }

    private static <T> void fire(Consumer<T> listener, T event) {
        if (listener != null) {
            listener.accept(event);
        }
    }
}
