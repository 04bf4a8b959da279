using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;

namespace TeacherTrainer.Web.Components.Shared;

/// <summary>
/// A password box for forms: binds like <see cref="InputText"/> but never renders a <c>value</c>, so a
/// password typed into a form that failed (validation, a wrong password, a refusal) is never written back
/// into the page, where it would sit in the HTML, the browser's cache and any screenshot.
/// </summary>
public sealed class InputPassword : InputBase<string>
{
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "input");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddAttribute(2, "type", "password");
        if (!string.IsNullOrEmpty(NameAttributeValue)) builder.AddAttribute(3, "name", NameAttributeValue);
        builder.AddAttribute(4, "class", CssClass);
        // No "value": the box is always empty when the page is drawn.
        builder.AddAttribute(5, "onchange", EventCallback.Factory.CreateBinder<string?>(this, v => CurrentValueAsString = v, null));
        builder.CloseElement();
    }

    protected override bool TryParseValueFromString(string? value, out string result, [NotNullWhen(false)] out string? validationErrorMessage)
    {
        result = value ?? "";
        validationErrorMessage = null;
        return true;
    }
}
