package io.posunbind.examples.bench;

import io.posunbind.spi.PaymentProvider;
import io.posunbind.spi.ProviderLimits;
import io.posunbind.spi.ReplacementCatalog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The sandbox as a remote acquirer looks to the engine: every adapter call takes {@code latencyMillis}
 * (a real sleep, outside the sandbox's lock, so calls overlap as they would over the network), and the
 * provider declares the given limits. Counted at the provider, on the wall clock: the start of every call,
 * and which instances called it for which case (a case is known by the serial or merchant number in the
 * call's arguments, one of each per benchmark case).
 */
final class SlowSandbox {

    private static final String SPI_PACKAGE = PaymentProvider.class.getPackageName();
    private static final Pattern CASE_KEY = Pattern.compile("SN\\d{8}|M\\d{9}");

    private final long latencyMillis;
    private final ProviderLimits limits;
    /** Start of every adapter call, in nanoseconds of {@link System#nanoTime()}. */
    private final List<Long> callStarts = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Set<String>> instancesPerCase = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callsPerCase = new ConcurrentHashMap<>();
    /** The threads that made calls, and whether any was virtual: the threads the engine used, not those it was given. */
    private final Set<Thread> callingThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();

    SlowSandbox(long latencyMillis, ProviderLimits limits) {
        this.latencyMillis = latencyMillis;
        this.limits = limits;
    }

    /** The provider one instance uses; {@code instance} names it in {@link #casesRunByMoreThanOneInstance()}. */
    PaymentProvider providerFor(PaymentProvider real, String instance) {
        return wrap(PaymentProvider.class, real, instance);
    }

    int calls() {
        return callStarts.size();
    }

    /** The most calls started in any one-second window (sliding, not aligned to whole seconds). */
    int maxCallsInAnySecond() {
        List<Long> starts;
        synchronized (callStarts) {
            starts = new ArrayList<>(callStarts);
        }
        Collections.sort(starts);
        int max = 0;
        int first = 0;
        for (int last = 0; last < starts.size(); last++) {
            while (starts.get(last) - starts.get(first) >= 1_000_000_000L) {
                first++;
            }
            max = Math.max(max, last - first + 1);
        }
        return max;
    }

    /**
     * Calls started in each whole second from the first call: the first three seconds, then the least, median
     * and most of the seconds between them and the last, so a steady rate below the limit shows apart from the
     * ramp and the tail.
     */
    String perSecondProfile() {
        List<Long> starts;
        synchronized (callStarts) {
            starts = new ArrayList<>(callStarts);
        }
        if (starts.isEmpty()) {
            return "no calls";
        }
        Collections.sort(starts);
        long first = starts.get(0);
        int[] perSecond = new int[(int) ((starts.get(starts.size() - 1) - first) / 1_000_000_000L) + 1];
        starts.forEach(start -> perSecond[(int) ((start - first) / 1_000_000_000L)]++);
        if (Boolean.getBoolean("bench.series")) { // every second, for a closer look: -Dbench.series=true
            System.out.println("  every second: " + Arrays.toString(perSecond));
        }
        StringBuilder profile = new StringBuilder("first seconds");
        for (int second = 0; second < Math.min(3, perSecond.length); second++) {
            profile.append(' ').append(perSecond[second]);
        }
        if (perSecond.length > 4) {
            int[] steady = Arrays.copyOfRange(perSecond, 3, perSecond.length - 1);
            Arrays.sort(steady);
            profile.append(", then min ").append(steady[0]).append(" median ").append(steady[steady.length / 2])
                    .append(" max ").append(steady[steady.length - 1]).append(", last ")
                    .append(perSecond[perSecond.length - 1]);
        }
        return profile.toString();
    }

    /** The threads that called the provider, how many were virtual, and the most calls open at once. */
    String threadsUsed() {
        long virtual = callingThreads.stream().filter(SlowSandbox::isVirtual).count();
        return callingThreads.size() + " threads called the provider (" + virtual + " virtual), at most "
                + mostOpen.get() + " calls open at once";
    }

    private static boolean isVirtual(Thread thread) {
        try { // Thread.isVirtual() is Java 21's; the benchmark compiles for 17
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    long casesRunByMoreThanOneInstance() {
        return instancesPerCase.values().stream().filter(instances -> instances.size() > 1).count();
    }

    /** How many cases made how many provider calls: a case run twice shows as an outlier. */
    Map<Integer, Long> casesByCallCount() {
        Map<Integer, Long> histogram = new TreeMap<>();
        callsPerCase.values().forEach(calls -> histogram.merge(calls.get(), 1L, Long::sum));
        return histogram;
    }

    void reset() {
        callStarts.clear();
        callingThreads.clear();
        mostOpen.set(0);
        instancesPerCase.clear();
        callsPerCase.clear();
    }

    private <T> T wrap(Class<T> type, T target, String instance) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(target, args);
                    }
                    if (type == PaymentProvider.class && method.getName().equals("callLimits")) {
                        return limits;
                    }
                    boolean call = type != PaymentProvider.class;
                    if (call) {
                        count(args, instance);
                        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    }
                    Object result;
                    try {
                        if (call) {
                            Thread.sleep(latencyMillis);
                        }
                        result = method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (call) {
                            open.decrementAndGet();
                        }
                    }
                    return wrapResult(method, result, instance);
                }));
    }

    private void count(Object[] args, String instance) {
        callStarts.add(System.nanoTime());
        callingThreads.add(Thread.currentThread());
        if (args == null) {
            return;
        }
        for (Object arg : args) {
            if (arg instanceof String text && CASE_KEY.matcher(text).matches()) {
                String key = String.valueOf(Long.parseLong(text.substring(text.startsWith("SN") ? 2 : 1)));
                instancesPerCase.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(instance);
                callsPerCase.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                return;
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object wrapResult(Method method, Object result, String instance) {
        if (result == null) {
            return null;
        }
        if (isAdapter(method.getReturnType())) {
            return wrap((Class) method.getReturnType(), result, instance);
        }
        if (method.getReturnType() == Optional.class && method.getGenericReturnType() instanceof ParameterizedType p) {
            Type inner = p.getActualTypeArguments()[0];
            if (inner instanceof Class<?> innerType && isAdapter(innerType)) {
                return ((Optional<?>) result).map(value -> wrap((Class) innerType, value, instance));
            }
        }
        return result;
    }

    private static boolean isAdapter(Class<?> type) {
        // Only the adapters: values the calls return (an OperationOutcome is a sealed interface) stay as they are.
        return type.isInterface() && type.getPackageName().equals(SPI_PACKAGE)
                && (type.getSimpleName().endsWith("Adapter") || type == ReplacementCatalog.class);
    }
}
