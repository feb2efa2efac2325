package leaks;

/** The same screen, fixed: {@link #close()} unregisters it. */
public final class Screen implements EventBus.Listener {
    private final StringBuilder log = new StringBuilder();

    public Screen() {
        EventBus.register(this);
    }

    @Override
    public void onEvent(String event) {
        log.append(event).append('\n');
    }

    public void close() {
        EventBus.unregister(this);
        log.setLength(0);
    }
}
