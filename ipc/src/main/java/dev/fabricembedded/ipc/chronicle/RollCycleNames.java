package dev.fabricembedded.ipc.chronicle;

import net.openhft.chronicle.queue.RollCycle;

/** Records a Chronicle roll cycle in the channel directory as {@code <enum class>#<constant>} and back. */
final class RollCycleNames {

    private RollCycleNames() {
    }

    static String of(RollCycle cycle) {
        Enum<?> constant = (Enum<?>) cycle;
        return constant.getDeclaringClass().getName() + "#" + constant.name();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static RollCycle parse(String recorded) {
        int hash = recorded.indexOf('#');
        if (hash < 0) {
            throw new IllegalStateException("unreadable roll cycle '" + recorded + "' in the channel directory");
        }
        try {
            Class<?> type = Class.forName(recorded.substring(0, hash));
            if (!type.isEnum() || !RollCycle.class.isAssignableFrom(type)) {
                throw new IllegalStateException("'" + recorded + "' is not a Chronicle roll cycle");
            }
            return (RollCycle) Enum.valueOf((Class) type, recorded.substring(hash + 1));
        } catch (ClassNotFoundException | IllegalArgumentException e) {
            throw new IllegalStateException("unknown roll cycle '" + recorded + "' in the channel directory", e);
        }
    }
}
