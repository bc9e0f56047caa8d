namespace Duraflow.Blocks.Catalog;

/// <summary>How a block's code is supplied, from the scheme of its <c>uses:</c> value.</summary>
internal enum BlockKind
{
    /// <summary><c>script:path.csx</c>: a C# script compiled with Roslyn.</summary>
    Script,

    /// <summary><c>sql:path.sql</c>: a SQL file run in the block's connection.</summary>
    Sql,

    /// <summary><c>class:Full.Type.Name</c>: a compiled block from the user's assemblies.</summary>
    Class,

    /// <summary>A built-in block id, such as <c>csv.read</c>.</summary>
    BuiltIn,

    /// <summary><c>pipeline:NAME</c>: another pipeline of the project, run as a child run whose output is the block's.</summary>
    Pipeline,
}
