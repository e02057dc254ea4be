package dev.meshdeck.viz.layout.internal;

/**
 * Places a column of boxes in a fixed order as close as possible to where each one wants to be, without
 * overlap: least squares under "each box starts at least {@code gap} below the previous one", solved
 * exactly by pool-adjacent-violators in linear time.
 */
public final class Separation {

    private Separation() {
    }

    /**
     * @param desired wanted centre of each box, in order
     * @param heights height of each box
     * @param gap     minimum free space between consecutive boxes
     * @param out     receives the placed centres (may be {@code desired} itself)
     */
    public static void place(double[] desired, double[] heights, int n, double gap, double[] out) {
        if (n == 0) {
            return;
        }
        // shift s_i so that the constraint becomes z_i <= z_{i+1} with z_i = y_i - s_i
        double[] shift = new double[n];
        for (int i = 1; i < n; i++) {
            shift[i] = shift[i - 1] + heights[i - 1] / 2 + gap + heights[i] / 2;
        }
        double[] blockValue = new double[n];
        int[] blockSize = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            blockValue[blocks] = desired[i] - shift[i];
            blockSize[blocks] = 1;
            blocks++;
            while (blocks > 1 && blockValue[blocks - 2] > blockValue[blocks - 1]) {
                int merged = blockSize[blocks - 2] + blockSize[blocks - 1];
                blockValue[blocks - 2] = (blockValue[blocks - 2] * blockSize[blocks - 2]
                        + blockValue[blocks - 1] * blockSize[blocks - 1]) / merged;
                blockSize[blocks - 2] = merged;
                blocks--;
            }
        }
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < blockSize[b]; k++, i++) {
                out[i] = blockValue[b] + shift[i];
            }
        }
    }
}
