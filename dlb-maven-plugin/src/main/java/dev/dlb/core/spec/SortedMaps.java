package dev.dlb.core.spec;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Sorted copies keep every rendered file in a stable order, so output is byte-identical run to run. */
final class SortedMaps {

    private SortedMaps() {
    }

    static <K, V> SortedMap<K, V> copy(Map<K, V> source) {
        return new TreeMap<>(source == null ? Map.of() : source);
    }

    static SortedMap<Integer, SortedMap<String, String>> copyNested(Map<Integer, ? extends Map<String, String>> source) {
        SortedMap<Integer, SortedMap<String, String>> copy = new TreeMap<>();
        if (source != null) {
            source.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedMap(copy(v))));
        }
        return Collections.unmodifiableSortedMap(copy);
    }
}
