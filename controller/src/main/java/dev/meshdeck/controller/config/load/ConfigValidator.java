package dev.meshdeck.controller.config.load;

import dev.meshdeck.controller.config.ConfigError;
import dev.meshdeck.controller.config.DestinationRule;
import dev.meshdeck.controller.config.ResourceKey;
import dev.meshdeck.controller.config.ServiceHosts;
import dev.meshdeck.controller.config.Source;
import dev.meshdeck.controller.config.VirtualService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that only a whole config can fail: the same resource twice, two DestinationRules for one host,
 * and route or mirror destinations naming a subset that no DestinationRule for their host defines. Each
 * error points at the offending field's line in the later (or referring) document.
 */
public final class ConfigValidator {

    public List<ConfigError> validate(List<LoadedDocument> docs) {
        List<ConfigError> errors = new ArrayList<>();
        List<LoadedDocument> unique = new ArrayList<>();
        collectDuplicates(docs, unique, errors);
        Map<String, LoadedDocument> rulesByHost = destinationRulesByHost(unique, errors);
        for (LoadedDocument doc : unique) {
            if (doc.resource() instanceof VirtualService vs) {
                checkSubsets(doc, vs, rulesByHost, errors);
            }
        }
        return List.copyOf(errors);
    }

    /**
     * Only the duplicate-resource rule: for documents that are about to be merged over the live config,
     * where a key repeated within them is an error but one repeating a live resource replaces it.
     */
    public List<ConfigError> duplicates(List<LoadedDocument> docs) {
        List<ConfigError> errors = new ArrayList<>();
        collectDuplicates(docs, new ArrayList<>(), errors);
        return List.copyOf(errors);
    }

    private static void collectDuplicates(List<LoadedDocument> docs, List<LoadedDocument> unique, List<ConfigError> errors) {
        Map<ResourceKey, LoadedDocument> byKey = new LinkedHashMap<>();
        for (LoadedDocument doc : docs) {
            LoadedDocument first = byKey.putIfAbsent(doc.key(), doc);
            if (first == null) {
                unique.add(doc);
            } else {
                errors.add(error(doc, "metadata.name", "duplicate " + doc.key() + " (first defined in "
                        + where(first, "metadata.name") + ")"));
            }
        }
    }

    /** One DestinationRule per fully qualified host; a second one is an error. */
    private static Map<String, LoadedDocument> destinationRulesByHost(List<LoadedDocument> docs, List<ConfigError> errors) {
        Map<String, LoadedDocument> byHost = new LinkedHashMap<>();
        for (LoadedDocument doc : docs) {
            if (doc.resource() instanceof DestinationRule dr) {
                String host = ServiceHosts.fqdn(dr.host(), dr.metadata().namespace());
                LoadedDocument first = byHost.putIfAbsent(host, doc);
                if (first != null) {
                    errors.add(error(doc, "spec.host", "host " + host + " already has DestinationRule "
                            + first.key().namespace() + "/" + first.key().name() + " (" + where(first, "spec.host")
                            + "; expected: one DestinationRule per host, as Istio would use only one of them)"));
                }
            }
        }
        return byHost;
    }

    private static void checkSubsets(LoadedDocument doc, VirtualService vs, Map<String, LoadedDocument> rules,
                                     List<ConfigError> errors) {
        String namespace = vs.metadata().namespace();
        for (int i = 0; i < vs.http().size(); i++) {
            VirtualService.HttpRoute route = vs.http().get(i);
            String http = "spec.http[" + i + "]";
            for (int j = 0; j < route.route().size(); j++) {
                checkSubset(doc, route.route().get(j).destination(), namespace,
                        http + ".route[" + j + "].destination.subset", rules, errors);
            }
            for (int j = 0; j < route.mirrors().size(); j++) {
                String single = http + ".mirror.subset";
                String path = doc.fieldLines().containsKey(single) ? single : http + ".mirrors[" + j + "].destination.subset";
                checkSubset(doc, route.mirrors().get(j).destination(), namespace, path, rules, errors);
            }
        }
    }

    private static void checkSubset(LoadedDocument doc, VirtualService.Destination destination, String namespace,
                                    String path, Map<String, LoadedDocument> rules, List<ConfigError> errors) {
        if (destination.subset() == null) {
            return;
        }
        String host = ServiceHosts.fqdn(destination.host(), namespace);
        LoadedDocument rule = ruleFor(host, rules);
        if (rule == null) {
            errors.add(error(doc, path, "subset " + destination.subset() + " of host " + host
                    + " is not defined (expected: a DestinationRule for " + host + " with that subset)"));
            return;
        }
        DestinationRule dr = (DestinationRule) rule.resource();
        Set<String> names = dr.subsets().stream().map(DestinationRule.Subset::name)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        if (!names.contains(destination.subset())) {
            errors.add(error(doc, path, "subset " + destination.subset() + " is not defined by DestinationRule "
                    + dr.metadata().namespace() + "/" + dr.metadata().name() + " (" + where(rule, "spec.subsets")
                    + "; expected one of: " + (names.isEmpty() ? "no subsets defined" : String.join(", ", names)) + ")"));
        }
    }

    /** The rule for exactly {@code host}, else the one with the longest wildcard host that covers it. */
    private static LoadedDocument ruleFor(String host, Map<String, LoadedDocument> rules) {
        LoadedDocument exact = rules.get(host);
        if (exact != null) {
            return exact;
        }
        LoadedDocument best = null;
        int bestLength = -1;
        for (Map.Entry<String, LoadedDocument> e : rules.entrySet()) {
            String h = e.getKey();
            if (h.startsWith("*.") && host.endsWith(h.substring(1)) && h.length() > bestLength) {
                best = e.getValue();
                bestLength = h.length();
            }
        }
        return best;
    }

    private static ConfigError error(LoadedDocument doc, String path, String message) {
        Source s = doc.resource().source();
        return new ConfigError(s.file(), s.document(), doc.key().toString(), path, doc.lineOf(path), message);
    }

    private static String where(LoadedDocument doc, String path) {
        Source s = doc.resource().source();
        return s.file() + " document " + s.document() + ", line " + doc.lineOf(path);
    }
}
