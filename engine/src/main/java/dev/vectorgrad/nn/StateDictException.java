package dev.vectorgrad.nn;

import java.util.List;

/**
 * A state dict that does not fit a module, with every problem at once: keys the model needs but the
 * state lacks, keys the state has but the model does not know, and shape mismatches.
 *
 * <pre>
 * loadStateDict: the state does not fit Sequential (3 problems):
 *   missing keys (1): 2.bias
 *   unexpected keys (1): 2.b
 *   shape mismatches (1): 0.weight: checkpoint (6,1,3,3) vs model (6,1,5,5)
 * </pre>
 */
public final class StateDictException extends IllegalArgumentException {

    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;
    private final List<String> shapeMismatches;

    StateDictException(String model, List<String> missing, List<String> unexpected, List<String> mismatched) {
        super(message(model, missing, unexpected, mismatched));
        this.missingKeys = List.copyOf(missing);
        this.unexpectedKeys = List.copyOf(unexpected);
        this.shapeMismatches = List.copyOf(mismatched);
    }

    private static String message(String model, List<String> missing, List<String> unexpected,
                                  List<String> mismatched) {
        int n = missing.size() + unexpected.size() + mismatched.size();
        StringBuilder sb = new StringBuilder("loadStateDict: the state does not fit ").append(model).append(" (")
                .append(n).append(n == 1 ? " problem" : " problems").append("):");
        if (!missing.isEmpty()) {
            sb.append("\n  missing keys (").append(missing.size()).append("): ").append(String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            sb.append("\n  unexpected keys (").append(unexpected.size()).append("): ")
                    .append(String.join(", ", unexpected));
        }
        if (!mismatched.isEmpty()) {
            sb.append("\n  shape mismatches (").append(mismatched.size()).append("): ")
                    .append(String.join("; ", mismatched));
        }
        return sb.toString();
    }

    /** Full names the model has and the state lacks. */
    public List<String> missingKeys() {
        return missingKeys;
    }

    /** Full names the state has and the model does not. */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    /** One {@code name: checkpoint (a,b) vs model (c,d)} entry per mismatch. */
    public List<String> shapeMismatches() {
        return shapeMismatches;
    }
}
