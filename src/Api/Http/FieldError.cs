namespace Duraflow.Api.Http;

/// <summary>One error of a 400 response.</summary>
/// <param name="Field">What was wrong: a body member (<c>parameters.day</c>), a query parameter or a header.</param>
/// <param name="Message">Why.</param>
/// <param name="Expected">For a value of the wrong type: the type expected.</param>
internal sealed record FieldError(string Field, string Message, string? Expected = null);
