namespace Duraflow.Engine.Projects;

/// <summary>Where runs are stored.</summary>
internal enum StoreKind
{
    /// <summary>One SQLite file in the project (the default).</summary>
    Sqlite,

    /// <summary>Azure Storage tables, queues and blobs.</summary>
    Azure,
}
