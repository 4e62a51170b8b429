package dev.dmreconciler.diff;

/**
 * A parameter key that differs, in one environment (or shared) file.
 *
 * @param key    dotted path for the native form ("applications.jupyter-operator.values.jo_image_tag"), the
 *               variable name for the Ansible form
 * @param before the old value as written (null when added)
 * @param after  the new value as written (null when removed)
 */
public record ParamChange(String file, String key, String before, String after) {
}
