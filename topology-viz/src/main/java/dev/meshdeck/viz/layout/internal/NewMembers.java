package dev.meshdeck.viz.layout.internal;

import dev.meshdeck.viz.layout.NodeSize;
import dev.meshdeck.viz.layout.NodeSizing;
import dev.meshdeck.viz.layout.Point;
import dev.meshdeck.viz.layout.Rect;
import dev.meshdeck.viz.model.TopologyGraph;

/** Places the new versions of a service that already has a position: under its lowest version, in free space. */
public final class NewMembers {

    private NewMembers() {
    }

    /**
     * @param at positions by node index; the head of block {@code b} is placed, members without one get one
     */
    public static void place(TopologyGraph graph, Blocks blocks, NodeSizing sizing, int b, Point[] at,
                             FreeSpace free) {
        int[] mem = blocks.members[b];
        double x = at[mem[0]].x();
        double bottom = at[mem[0]].y() + sizing.sizeOf(graph.nodeAt(mem[0])).height() / 2;
        for (int j = 1; j < mem.length; j++) {
            if (at[mem[j]] != null) {
                x = at[mem[j]].x();
                bottom = Math.max(bottom, at[mem[j]].y() + sizing.sizeOf(graph.nodeAt(mem[j])).height() / 2);
            }
        }
        for (int j = 1; j < mem.length; j++) {
            if (at[mem[j]] == null) {
                NodeSize s = sizing.sizeOf(graph.nodeAt(mem[j]));
                double wanted = bottom + Blocks.INNER_GAP + s.height() / 2;
                double y = free.nearestFreeY(x, wanted, s.width(), s.height());
                at[mem[j]] = new Point(x, y);
                free.add(Rect.centeredAt(at[mem[j]], s));
                bottom = Math.max(bottom, y + s.height() / 2);
            }
        }
    }
}
