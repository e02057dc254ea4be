package dev.meshdeck.viz.view;

import dev.meshdeck.viz.model.Badge;
import dev.meshdeck.viz.model.EdgeMetrics;
import dev.meshdeck.viz.model.Health;
import dev.meshdeck.viz.model.MtlsState;

/**
 * Colours and sizes as pure functions of the model. Colours are {@code 0xAARRGGBB} ints, so the same
 * values paint a canvas and an SVG file.
 */
public final class Styling {

    public static final int HEALTHY = 0xFF3E8635;
    public static final int DEGRADED = 0xFFF0AB00;
    public static final int FAILING = 0xFFC9190B;
    public static final int IDLE = 0xFF8A8D90;
    public static final int UNKNOWN = 0xFF6A6E73;

    public static final int BACKGROUND = 0xFFFFFFFF;
    public static final int NODE_FILL = 0xFFF8F9FA;
    public static final int EXTERNAL_FILL = 0xFFE7F1FA;
    public static final int NAMESPACE_NODE_FILL = 0xFFEDE7F6;
    public static final int NODE_BORDER = 0xFF8A8D90;
    public static final int TEXT = 0xFF151515;
    public static final int MUTED_TEXT = 0xFF4F5255;
    public static final int SELECTION = 0xFF0066CC;
    public static final int FIND_MATCH = 0xFFF4C145;
    public static final int NAMESPACE_BOX_FILL = 0xFFF2F5F9;
    public static final int NAMESPACE_BOX_BORDER = 0xFFC7CED6;
    public static final int SERVICE_BOX_BORDER = 0xFFD2D2D2;
    public static final int LABEL_BACKGROUND = 0xE6FFFFFF;

    /** mTLS badges: a closed lock, an open lock (mixed), a warning triangle (plaintext). */
    public static final int LOCK_MTLS = 0xFF2B6CB0;
    public static final int LOCK_MIXED = 0xFFEC7A08;
    public static final int WARNING_PLAINTEXT = 0xFFC9190B;

    /** Colours of the segments of a split bar, by version position. */
    private static final int[] SPLIT_COLOURS = {0xFF0066CC, 0xFF5BA352, 0xFFEC7A08, 0xFF8476D1, 0xFF009596,
        0xFFC58C00};

    /** Edge width classes; {@link #edgeWidthClass} picks one from requests per second. */
    private static final double[] EDGE_WIDTHS = {1, 1.6, 2.4, 3.4, 4.8};

    private Styling() {
    }

    /** The colour of a node's health stripe and border. */
    public static int healthColour(Health health) {
        return switch (health) {
            case HEALTHY -> HEALTHY;
            case DEGRADED -> DEGRADED;
            case FAILING -> FAILING;
            case IDLE -> IDLE;
            case UNKNOWN -> UNKNOWN;
        };
    }

    /**
     * The health of an edge from its metrics, Kiali's way: no traffic is idle, 20 % errors or more is
     * failing, 1 % or more degraded, else healthy.
     */
    public static Health edgeHealth(EdgeMetrics m) {
        if (m.requestsPerSecond() == 0) {
            return Health.IDLE;
        }
        double err = m.errorRate();
        return err >= 0.20 ? Health.FAILING : err >= 0.01 ? Health.DEGRADED : Health.HEALTHY;
    }

    /** The colour an edge is drawn in. */
    public static int edgeColour(EdgeMetrics m) {
        return healthColour(edgeHealth(m));
    }

    /** The width class of an edge, 0 (idle or under 1 rps) to 4 (1000 rps and more): a log scale. */
    public static int edgeWidthClass(double requestsPerSecond) {
        if (requestsPerSecond < 1) {
            return 0;
        }
        return Math.min(EDGE_WIDTHS.length - 1, 1 + (int) Math.floor(Math.log10(requestsPerSecond)));
    }

    public static int edgeWidthClasses() {
        return EDGE_WIDTHS.length;
    }

    /** The width of an edge of width class {@code widthClass}, in world units. */
    public static double edgeWidth(int widthClass) {
        return EDGE_WIDTHS[widthClass];
    }

    /** The colour of the mTLS badge of a node in state {@code state}; 0 for no badge (unknown). */
    public static int mtlsColour(MtlsState state) {
        return switch (state) {
            case MTLS -> LOCK_MTLS;
            case MIXED -> LOCK_MIXED;
            case PLAINTEXT -> WARNING_PLAINTEXT;
            case UNKNOWN -> 0;
        };
    }

    /** The mTLS state of an edge from the share of its requests that were mTLS. */
    public static MtlsState edgeMtls(double mtlsShare) {
        return mtlsShare >= 1 ? MtlsState.MTLS : mtlsShare <= 0 ? MtlsState.PLAINTEXT : MtlsState.MIXED;
    }

    public static int badgeColour(Badge badge) {
        return switch (badge) {
            case FAULT_INJECTED -> 0xFFB8006B;
            case CIRCUIT_OPEN -> 0xFFC9190B;
            case EXPERIMENT_RUNNING -> 0xFF5752D1;
        };
    }

    /** The letter drawn in a badge. */
    public static String badgeLetter(Badge badge) {
        return switch (badge) {
            case FAULT_INJECTED -> "F";
            case CIRCUIT_OPEN -> "C";
            case EXPERIMENT_RUNNING -> "E";
        };
    }

    public static int splitColour(int versionPosition) {
        return SPLIT_COLOURS[versionPosition % SPLIT_COLOURS.length];
    }

    /** {@code argb} with its alpha multiplied by {@code alpha} (0..1). */
    public static int withAlpha(int argb, double alpha) {
        int a = (int) Math.round(((argb >>> 24) & 0xFF) * Math.max(0, Math.min(1, alpha)));
        return (a << 24) | (argb & 0xFFFFFF);
    }
}
