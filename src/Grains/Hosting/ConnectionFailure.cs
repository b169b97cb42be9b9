using StackExchange.Redis;

namespace Unlearning.Grains;

/// <summary>Why a connection to the cluster failed, in words for the person who runs the command:
/// the innermost cause, without StackExchange.Redis's advice to programmers
/// ("abortConnect=false ... in your code").</summary>
public static class ConnectionFailure
{
    public static string Reason(Exception e)
    {
        var message = e.GetBaseException().Message;
        int advice = message.IndexOf(" To allow this multiplexer", StringComparison.Ordinal);
        if (advice > 0) message = message[..advice].TrimEnd('.');
        var redis = e as RedisConnectionException ?? e.GetBaseException() as RedisConnectionException;
        return redis is null ? message : $"{message} ({redis.FailureType})";
    }
}
