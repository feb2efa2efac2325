package dev.heaplens.capture;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;

/**
 * Connects to another JVM's platform MBean server: the Attach API starts the JVM's local management
 * agent (or finds it running), whose loopback-only JMX address it returns. The agent stays up in the
 * target afterwards, as after {@code jcmd <pid> ManagementAgent.start_local}.
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
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw refused(target, pid, e);
        } catch (IOException e) {
            throw attachFailed(target, pid, e);
        } catch (LinkageError e) {
            throw new CaptureException(CaptureException.Reason.UNSUPPORTED, "the Attach API (module jdk.attach) is not"
                    + " available: run heaplens on a JDK rather than a JRE (a modular application needs"
                    + " 'requires jdk.attach')", e);
        }
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

    private static CaptureException refused(TargetProcess target, long pid, AttachNotSupportedException e) {
        if (!target.alive()) {
            return TargetProcess.noSuchProcess(pid);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("does not support the attach mechanism")) {
            return new CaptureException(CaptureException.Reason.ATTACH_REFUSED, "process " + pid + " refuses attach"
                    + " requests: it runs with -XX:+DisableAttachMechanism. Restart it without that flag to capture it"
                    + " from outside, or dump it from inside (HotSpotDiagnosticMXBean, -XX:+HeapDumpOnOutOfMemoryError)", e);
        }
        return new CaptureException(CaptureException.Reason.ATTACH_REFUSED, "process " + pid + " did not answer the"
                + " attach request (" + m + "): a HotSpot JVM answers unless it runs with -Xrs or"
                + " -XX:+DisableAttachMechanism, or is stuck; try again, or check it with 'jcmd " + pid + " VM.version'", e);
    }

    private static CaptureException attachFailed(TargetProcess target, long pid, IOException e) {
        if (!target.alive() || String.valueOf(e.getMessage()).contains("No such process")) {
            return TargetProcess.noSuchProcess(pid);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("not secure") || m.contains("owned by") || m.contains("Permission denied")) {
            String owner = target.user().orElse("the process's user");
            return new CaptureException(CaptureException.Reason.OTHER_USER, "process " + pid + " belongs to " + owner
                    + " and does not accept attach requests from " + System.getProperty("user.name") + " (" + m
                    + "): run heaplens as " + owner, e);
        }
        return new CaptureException(CaptureException.Reason.FAILED, "attaching to process " + pid + " failed: " + m, e);
    }
}
