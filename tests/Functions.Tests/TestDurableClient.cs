using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Functions.Tests;

/// <summary>
/// A durable client binding for tests that call a function directly: a real client that nothing here ever calls, so its
/// channel points at a loopback port with nothing behind it (a gRPC channel connects on its first call only).
/// </summary>
internal static class TestDurableClient
{
    private static readonly GrpcChannel Nowhere = GrpcChannel.ForAddress("http://127.0.0.1:9");

    public static DurableTaskClient Create(string name = "test") =>
        new GrpcDurableTaskClient(name, new GrpcDurableTaskClientOptions { Channel = Nowhere }, NullLogger.Instance);
}
