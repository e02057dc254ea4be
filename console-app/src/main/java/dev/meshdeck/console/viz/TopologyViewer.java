package dev.meshdeck.console.viz;

import dev.meshdeck.viz.io.TopologyJson;
import dev.meshdeck.viz.layout.Layout;
import dev.meshdeck.viz.layout.LayoutAlgorithm;
import dev.meshdeck.viz.model.GraphNode;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.NamespaceCollapse;
import dev.meshdeck.viz.model.NodeKind;
import dev.meshdeck.viz.model.TopologyGraph;
import dev.meshdeck.viz.render.TopologyView;
import dev.meshdeck.viz.view.EdgeLabel;
import dev.meshdeck.viz.view.NodeFilter;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The window content of {@code meshdeck viz}: a {@link TopologyView} with a tool bar (edge labels, traffic
 * dots, idle edges, namespace and health filters, collapse, fit, export) and a status line that shows the
 * view's events. Namespaces can be collapsed into one node each, and the external hosts into one group
 * (double-click one to expand it again, where it was), which keeps a mesh of thousands of services usable.
 */
public final class TopologyViewer extends BorderPane {

    /** A graph with more nodes than this opens with every namespace collapsed. */
    public static final int AUTO_COLLAPSE_NODES = 2500;

    private static final String ALL_NAMESPACES = "all namespaces";

    private final TopologyGraph full;
    private final TopologyView view = new TopologyView();
    private final LayoutAlgorithm algorithm;
    private final Label status = new Label();
    private final Set<String> collapsed = new TreeSet<>();
    private final ChoiceBox<String> namespaceFilter = new ChoiceBox<>();
    private final ChoiceBox<String> healthFilter = new ChoiceBox<>();

    public TopologyViewer(TopologyGraph graph, Layout layout, LayoutAlgorithm algorithm, boolean collapseAll) {
        this.full = graph;
        view.setLayoutAlgorithm(algorithm);
        this.algorithm = algorithm;
        if (collapseAll) {
            collapsed.addAll(NamespaceCollapse.groups(graph));
        }
        view.setGraph(displayed(), layout);
        setCenter(view);
        setTop(toolBar());
        HBox bar = new HBox(status);
        bar.setPadding(new Insets(3, 8, 3, 8));
        setBottom(bar);
        wireEvents();
        showCounts();
    }

    public TopologyView view() {
        return view;
    }

    /** The collapsed groups: namespaces and {@link NamespaceCollapse#EXTERNAL}, in name order. */
    public Set<String> collapsedGroups() {
        return Set.copyOf(collapsed);
    }

    /**
     * Expands collapsed group {@code group} (a namespace or {@link NamespaceCollapse#EXTERNAL}) where its
     * node is, every other node staying where it is; nothing happens if it is not collapsed.
     */
    public void expand(String group) {
        if (collapsed.contains(group)) {
            Set<String> rest = new TreeSet<>(collapsed);
            rest.remove(group);
            setCollapsed(rest);
        }
    }

    private TopologyGraph displayed() {
        return NamespaceCollapse.collapse(full, collapsed);
    }

    /**
     * Collapses exactly {@code namespaces}. The new nodes are laid out against the whole layout shown, which
     * still has the collapsed node of a namespace being expanded, so that the namespace opens where it was;
     * every node that stays keeps its place.
     */
    private void setCollapsed(Set<String> namespaces) {
        collapsed.clear();
        collapsed.addAll(namespaces);
        TopologyGraph next = displayed();
        view.setGraph(next, algorithm.layout(next, view.getLayout()));
        showCounts();
    }

    private ToolBar toolBar() {
        ChoiceBox<EdgeLabel> labels = new ChoiceBox<>();
        labels.getItems().addAll(EdgeLabel.values());
        labels.setConverter(new StringConverter<>() {
            @Override
            public String toString(EdgeLabel l) {
                return l == null ? "" : switch (l) {
                    case NONE -> "no edge labels";
                    case REQUESTS_PER_SECOND -> "requests/s";
                    case ERROR_PERCENT -> "error %";
                    case P99 -> "p99 latency";
                };
            }

            @Override
            public EdgeLabel fromString(String s) {
                return null;
            }
        });
        labels.setValue(view.getOptions().edgeLabel());
        labels.valueProperty().addListener((o, a, l) -> view.setOptions(view.getOptions().withEdgeLabel(l)));

        CheckBox dots = new CheckBox("traffic dots");
        dots.setSelected(view.getOptions().trafficDots());
        dots.selectedProperty().addListener((o, a, on) -> view.setOptions(view.getOptions().withTrafficDots(on)));
        CheckBox idle = new CheckBox("hide idle edges");
        idle.selectedProperty().addListener((o, a, on) -> view.setOptions(view.getOptions().withHideIdleEdges(on)));

        namespaceFilter.getItems().add(ALL_NAMESPACES);
        namespaceFilter.getItems().addAll(full.namespaces());
        namespaceFilter.setValue(ALL_NAMESPACES);
        namespaceFilter.valueProperty().addListener((o, a, ns) -> applyFilter());
        healthFilter.getItems().addAll("any health", "failing", "degraded or failing", "healthy", "idle");
        healthFilter.setValue("any health");
        healthFilter.valueProperty().addListener((o, a, h) -> applyFilter());

        Button collapseAll = new Button("Collapse namespaces");
        collapseAll.setOnAction(e -> setCollapsed(new TreeSet<>(NamespaceCollapse.groups(full))));
        Button expandAll = new Button("Expand all");
        expandAll.setOnAction(e -> setCollapsed(Set.of()));
        Button fit = new Button("Fit");
        fit.setOnAction(e -> view.fitToView());

        MenuButton export = new MenuButton("Export");
        MenuItem png = new MenuItem("View as PNG…");
        png.setOnAction(e -> save("topology.png", "PNG image", "*.png", f -> view.exportPng(f)));
        MenuItem svg = new MenuItem("View as SVG…");
        svg.setOnAction(e -> save("topology.svg", "SVG image", "*.svg", f -> view.exportSvg(f)));
        MenuItem json = new MenuItem("Graph and layout as JSON…");
        json.setOnAction(e -> save("topology.json", "Meshdeck topology", "*.json",
                f -> TopologyJson.write(f, full, view.getLayout().restrictTo(full))));
        export.getItems().addAll(png, svg, json);

        return new ToolBar(labels, dots, idle, new Separator(), namespaceFilter, healthFilter, new Separator(),
                collapseAll, expandAll, fit, export);
    }

    private void applyFilter() {
        String ns = namespaceFilter.getValue();
        Set<Health> healths = switch (healthFilter.getValue()) {
            case "failing" -> EnumSet.of(Health.FAILING);
            case "degraded or failing" -> EnumSet.of(Health.DEGRADED, Health.FAILING);
            case "healthy" -> EnumSet.of(Health.HEALTHY);
            case "idle" -> EnumSet.of(Health.IDLE);
            default -> Set.of();
        };
        view.setFilter(new NodeFilter(null, ALL_NAMESPACES.equals(ns) ? null : ns, healths));
    }

    private void wireEvents() {
        view.setOnNodeSelected(n -> status.setText(n == null ? counts() : "selected " + n.id()));
        view.setOnEdgeSelected(e -> status.setText("selected edge " + e.source() + " → " + e.target()));
        view.setOnNodeDoubleClicked(n -> {
            if (n.kind() == NodeKind.NAMESPACE) {
                expand(n.namespace());
            } else {
                status.setText("double-clicked " + n.id());
            }
        });
        view.setOnNodeDroppedOnNode(d -> status.setText("dropped " + d.source().id() + " on " + d.target().id()));
        view.setOnSplitWeightsDragged(s -> status.setText((s.finished() ? "split of " : "dragging split of ")
                + s.serviceId() + ": " + s.weights()));
        view.setOnGraphContextMenuRequested(r -> {
            ContextMenu menu = new ContextMenu();
            GraphNode node = r.node();
            if (node != null && node.namespace() != null && node.kind() != NodeKind.NAMESPACE) {
                MenuItem collapse = new MenuItem("Collapse namespace " + node.namespace());
                collapse.setOnAction(e -> {
                    Set<String> more = new TreeSet<>(collapsed);
                    more.add(node.namespace());
                    setCollapsed(more);
                });
                menu.getItems().add(collapse);
            }
            if (node != null) {
                MenuItem select = new MenuItem("Select " + node.label());
                select.setOnAction(e -> view.selectNode(node.id()));
                menu.getItems().add(select);
            }
            MenuItem fitItem = new MenuItem("Fit to view");
            fitItem.setOnAction(e -> view.fitToView());
            menu.getItems().add(fitItem);
            menu.show(view, r.screenX(), r.screenY());
        });
    }

    private void showCounts() {
        status.setText(counts());
    }

    private String counts() {
        TopologyGraph g = view.getGraph();
        long namespaces = collapsed.stream().filter(ns -> !NamespaceCollapse.EXTERNAL.equals(ns)).count();
        return String.format(Locale.ROOT, "%d nodes, %d edges shown (%d nodes, %d edges in all; %d of %d namespaces"
                        + "%s collapsed) — wheel: zoom, drag: pan, Ctrl+F: find, 0: fit",
                g.nodeCount(), g.edgeCount(), full.nodeCount(), full.edgeCount(), namespaces, full.namespaces().size(),
                collapsed.contains(NamespaceCollapse.EXTERNAL) ? " and the external hosts" : "");
    }

    private interface Export {
        void to(Path file) throws IOException;
    }

    private void save(String name, String what, String pattern, Export export) {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName(name);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, pattern));
        Window owner = getScene() == null ? null : getScene().getWindow();
        File file = chooser.showSaveDialog(owner);
        if (file == null) {
            return;
        }
        try {
            export.to(file.toPath());
            status.setText("saved " + file);
        } catch (IOException | RuntimeException e) {
            status.setText("could not save " + file + ": " + e.getMessage());
        }
    }

    /** Whether {@code meshdeck viz --collapse MODE} starts with every namespace collapsed: all, none or auto. */
    public static boolean collapseAtStart(String mode, TopologyGraph graph) {
        return switch (mode) {
            case "all" -> true;
            case "none" -> false;
            default -> graph.nodeCount() > AUTO_COLLAPSE_NODES;
        };
    }
}
