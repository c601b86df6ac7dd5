package dev.dlb.core.engine;

import java.util.Map;

public record ImageInfo(String id, Map<String, String> labels) {
}
