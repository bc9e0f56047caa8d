using Microsoft.OpenApi;

namespace Duraflow.Api.Http;

/// <summary>
/// Names the query parameters an endpoint reads from the request itself (to answer a bad one with a problem that
/// names it) in the OpenAPI document, which sees only the parameters a handler binds.
/// </summary>
internal static class OpenApiQuery
{
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params (string Name, string Description)[] parameters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, description) in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            return Task.CompletedTask;
        });
}
