from iapt_desktop.domain.assessment_scales import GAD7, PHQ9, scale
from iapt_desktop.domain.codes import code_list, label, social_circumstances_in


def test_code_lists_have_labels_and_unconfirmed_marks() -> None:
    gender = code_list("Gender")
    assert gender is not None and gender.values() == {"1", "2", "9", "X"}
    assert label("EndCode", "46").startswith("Mutually agreed completion")
    app_type = code_list("AppType")
    assert app_type is not None and app_type.unconfirmed
    assert code_list("NHSNumber") is None


def test_declined_answers_are_found_where_the_data_set_allows_them() -> None:
    disability = code_list("DisabCode")
    assert disability is not None and disability.declined_code == "ZZ"
    assert code_list("GenderIdentity").declined_code == "Z"
    assert code_list("EthnicCategory").declined_code == "Z"
    # "Suitable but declined the treatment offered" is an ending, not a refusal to answer
    assert code_list("EndCode").declined_code is None


def test_sexual_orientation_and_religion_groups_exist() -> None:
    assert len(social_circumstances_in("Sexual Orientation")) >= 10
    assert len(social_circumstances_in("Religion")) > 100


def test_assessment_scales_accept_in_range_scores_only() -> None:
    phq9 = scale(PHQ9)
    gad7 = scale(GAD7)
    assert phq9 is not None and gad7 is not None
    assert phq9.accepts("27") and not phq9.accepts("28") and not phq9.accepts("1.5")
    assert gad7.accepts("0") and not gad7.accepts("22")


def test_language_codes_have_english_names_english_first_and_local_codes_named() -> None:
    for column in ("LanguageCodePreferred", "LanguageCodeTreat"):
        languages = code_list(column)
        assert languages is not None, column
        assert languages.codes[0].code == "en" and languages.codes[0].label == "English"
        assert label(column, "pl") == "Polish" and label(column, "ur") == "Urdu"
        assert label(column, "pa") == "Panjabi; Punjabi"  # both spellings, so either can be typed
        assert label(column, "q3") == "Local code q3 (meaning set by the service)"
        assert all(len(c.code) == 2 and c.label for c in languages.codes)
        assert languages.declined_code is None and not languages.unconfirmed
        assert "iso-codes" in languages.get("fr").source
    assert [c.code for c in code_list("LanguageCodeTreat").codes][-5:] == ["q1", "q2", "q3", "q4", "q5"]


def test_language_code_list_is_the_set_validation_accepts() -> None:
    from iapt_desktop.validation.row_checks import language_codes

    assert code_list("LanguageCodePreferred").values() == language_codes()
    assert len(language_codes()) == 188 and {"en", "cy", "gd", "q1", "q5"} <= language_codes()
