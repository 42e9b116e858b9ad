package org.caregrid.server.coverage;

/**
 * One metric's figures for one place: how many items, how many meet the condition, the gaps, the
 * rate, and the target it is measured against.
 *
 * @param rate        ok / total, or null for a place with no items (nothing to cover)
 * @param meetsTarget whether ok reaches target × total (an empty place does)
 * @param estimated   how many of the items were measured by a straight-line estimate
 */
public record Figures(String level, String code, Long gridId, String name,
                      long total, long ok, long gaps, Double rate, double target, boolean meetsTarget,
                      long estimated) {

    public static Figures of(String level, String code, Long gridId, String name,
                             long total, long ok, long estimated, double target) {
        Double rate = total == 0 ? null : (double) ok / total;
        // compare counts, not floating rates: a target of 1.0 must mean every single item
        boolean meets = total == 0 || ok >= Math.ceil(target * total - 1e-9);
        return new Figures(level, code, gridId, name, total, ok, total - ok, rate, target, meets, estimated);
    }

    /** A place with nothing counted yet. */
    public static Figures empty(String level, String code, Long gridId, String name, double target) {
        return of(level, code, gridId, name, 0, 0, 0, target);
    }
}
