package dev.heaplens.capture;

import com.sun.tools.attach.VirtualMachine;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;

/**
 * Connects to another JVM's platform MBean server: the Attach API starts the JVM's local management
 * agent (or finds it running), whose loopback-only JMX address it returns. The agent stays up in the
 * target afterwards, as after {@code jcmd <pid> ManagementAgent.start_local}. Reached only from
 * {@link JvmConnection#attachViaJmx(long)}, the explicit JMX option ({@code CaptureOptions.viaJmx()},
 * the CLI's {@code --jmx}); every other capture and reading goes through the attach listener.
 */
final class LocalAgent {
    private LocalAgent() {
    }

    /** A JMX connection to {@code target}; translates every failure into a {@link CaptureException}. */
    static JMXConnector connect(TargetProcess target, long pid) {
        String address = startAgent(target, pid);
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (IOException | RuntimeException e) {
            if (!target.alive()) {
                throw TargetProcess.noSuchProcess(pid);
            }
            throw new CaptureException(CaptureException.Reason.FAILED, "process " + pid
                    + " started its local management agent, but connecting to it failed: " + e.getMessage(), e);
        }
    }

    private static String startAgent(TargetProcess target, long pid) {
        VirtualMachine vm = AttachApi.attach(target, pid);
        try {
            return vm.startLocalManagementAgent();
        } catch (IOException | RuntimeException e) {
            if (!target.alive()) {
                throw TargetProcess.noSuchProcess(pid);
            }
            throw new CaptureException(CaptureException.Reason.UNSUPPORTED, "process " + pid + " could not start its"
                    + " local management agent (" + e.getMessage() + "): its runtime needs the modules"
                    + " jdk.management.agent and java.management.rmi", e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the connection to the attach listener is gone either way
            }
        }
    }
}
